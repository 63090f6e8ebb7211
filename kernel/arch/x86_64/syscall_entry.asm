; syscall_entry.asm: the way into the kernel from a `syscall` instruction,
; and the one way back to ring 3 (also used by the first entry of a new
; process).
;
; On syscall the CPU has put the user's RIP in RCX and RFLAGS in R11, loaded
; kernel CS/SS from STAR and cleared the FMASK flags (IF among them); RSP is
; still the user's. We switch to the thread's kernel stack and build the
; same InterruptFrame the interrupt stubs build, so signals, exec and fork
; can treat both alike. Vector 0x100 marks a system call.

bits 64
%include "macros.inc"
section .text

USER_CS equ 0x2b
USER_SS equ 0x23
FRAME_VECTOR equ 15 * 8
FRAME_RIP equ 17 * 8
SYSCALL_VECTOR equ 0x100               ; InterruptFrame::system_call

extern syscall_dispatch
extern syscall_dispatch_poisoning
extern user_return_to_bad_address

; SYSCALL_ENTRY name, dispatcher: an entry point that calls dispatcher
; with the frame. Two are made: syscall_entry, the one in use, and
; syscall_entry_poisoning for kite.stack_poison=1 (debug/stack_poison.h),
; so that the debug mode costs the normal path nothing.
%macro SYSCALL_ENTRY 2
global %1
%1:
    swapgs
    mov [gs:16], rsp                    ; CpuLocal.user_rsp
    mov rsp, [gs:8]                     ; CpuLocal.kernel_rsp
    push qword USER_SS
    push qword [gs:16]
    push r11                            ; user RFLAGS
    push qword USER_CS
    push rcx                            ; user RIP
    push qword 0                        ; error code
    push qword SYSCALL_VECTOR
    PUSH_GPRS
    xor ebp, ebp                        ; backtraces stop at the user boundary
    mov rdi, rsp
    sti
    call %2
    mov rdi, rsp                        ; the frame, for return_to_user
    jmp return_to_user
%endmacro

SYSCALL_ENTRY syscall_entry, syscall_dispatch
SYSCALL_ENTRY syscall_entry_poisoning, syscall_dispatch_poisoning

; void return_to_user(InterruptFrame* frame): leaves the kernel through
; the frame; every way back to ring 3 comes here (system calls, and the
; interrupt stubs' return to a user frame). sysretq is used only when the return address is in the user
; half and CS is the user's: sysret with a non-canonical RCX faults in ring 0
; on Intel CPUs, on the user's RSP (the SYSRET privilege-escalation case).
; iretq to a non-canonical RIP faults in ring 0 as well, so such a frame
; never leaves at all: the process is killed with SIGSEGV instead (what
; Linux's user would see). sysret also loads RCX and R11 with the return
; address and flags, which only a system call's own frame may lose: a frame
; rt_sigreturn filled with a whole user context (vector
; InterruptFrame::restored_context) leaves by iretq, which restores every
; register. RSP needs no check: neither iretq nor sysret faults on a
; non-canonical one (the user's first push does, in ring 3), and the NMI
; and double fault use stacks of their own (IST).
global return_to_user
return_to_user:
    cli
    mov rsp, rdi
    mov rcx, [rsp + FRAME_RIP]
    shr rcx, 47
    jnz .bad_address
    cmp qword [rsp + FRAME_RIP + 8], USER_CS
    jne .iret
    cmp qword [rsp + FRAME_VECTOR], SYSCALL_VECTOR
    jne .iret
    POP_GPRS
    mov rcx, [rsp + 16]                 ; RIP
    mov r11, [rsp + 32]                 ; RFLAGS
    mov rsp, [rsp + 40]                 ; user RSP
    swapgs
    o64 sysret
.iret:
    POP_GPRS
    add rsp, 16                         ; vector, error code
    swapgs
    iretq
.bad_address:
    mov rdi, rsp
    call user_return_to_bad_address     ; does not return
    ud2
