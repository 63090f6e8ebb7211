; stack_chk_fail.asm: __stack_chk_fail, where a function built with the
; stack protector jumps when its canary no longer matches __stack_chk_guard
; as it returns (debug/stack_protector.h). It records the registers as they
; are at that moment in an InterruptFrame (interrupt_frame.h), so the report
; shows them as an exception's does, and hands it to stack_smashed_report.
;
; RIP is the return address of this call, inside the function whose canary
; was overwritten; RBP is still that function's frame pointer (the check
; runs before its epilogue), so the backtrace starts at its caller. RSP is
; the function's own, as it was before the call. Nothing here trusts the
; stack above RSP: the frame is built below it.

bits 64
section .text

extern stack_smashed_report

global __stack_chk_fail
__stack_chk_fail:
    pushfq                              ; RFLAGS as the function left them
    cli
    sub rsp, 22 * 8                     ; the InterruptFrame (22 words)
    mov [rsp + 0 * 8], r15
    mov [rsp + 1 * 8], r14
    mov [rsp + 2 * 8], r13
    mov [rsp + 3 * 8], r12
    mov [rsp + 4 * 8], r11
    mov [rsp + 5 * 8], r10
    mov [rsp + 6 * 8], r9
    mov [rsp + 7 * 8], r8
    mov [rsp + 8 * 8], rbp
    mov [rsp + 9 * 8], rdi
    mov [rsp + 10 * 8], rsi
    mov [rsp + 11 * 8], rdx
    mov [rsp + 12 * 8], rcx
    mov [rsp + 13 * 8], rbx
    mov [rsp + 14 * 8], rax
    mov qword [rsp + 15 * 8], 0         ; vector: none (no exception)
    mov qword [rsp + 16 * 8], 0         ; error code
    mov rax, [rsp + 23 * 8]             ; the return address (above RFLAGS)
    mov [rsp + 17 * 8], rax
    mov eax, cs
    mov [rsp + 18 * 8], rax
    mov rax, [rsp + 22 * 8]
    mov [rsp + 19 * 8], rax
    lea rax, [rsp + 24 * 8]             ; RSP before the call
    mov [rsp + 20 * 8], rax
    mov eax, ss
    mov [rsp + 21 * 8], rax
    ; The call pushed 8 bytes onto a 16-aligned stack, pushfq 8 more and the
    ; frame is 176: RSP is 16-aligned again, as the ABI wants at a call.
    mov rdi, rsp
    call stack_smashed_report           ; does not return
    ud2
