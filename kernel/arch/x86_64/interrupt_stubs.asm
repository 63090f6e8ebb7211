; interrupt_stubs.asm: one entry stub per IDT vector. Each stub makes the
; stack look the same (an error code, real or 0, then the vector number) and
; jumps to interrupt_common, which saves every general register so the C++
; side sees a complete InterruptFrame (interrupt_frame.h).

bits 64
%include "macros.inc"
section .text

extern interrupt_dispatch
extern return_to_user

FRAME_CS equ 18 * 8                     ; above 15 registers, vector, error code, RIP

; Vectors for which the CPU pushes an error code itself.
%define HAS_ERROR_CODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro INTERRUPT_STUB 1
align 16
interrupt_stub_%1:
%if HAS_ERROR_CODE(%1) == 0
    push qword 0
%endif
    push qword %1
    jmp interrupt_common
%endmacro

%assign vector 0
%rep 256
INTERRUPT_STUB vector
%assign vector vector + 1
%endrep

; The frame is 22 quadwords (176 bytes) above an RSP that the CPU aligned
; to 16 before pushing, so RSP is 16-aligned again at the call. Coming from
; ring 3 (CS RPL 3 in the frame) the GS base is the user's: swapgs to the
; kernel's on the way in. The lfence keeps the CPU from running ahead on
; the wrong GS base when it mispredicts that test (both ways: the Spectre
; v1 swapgs variant). The handler always runs with any user-copy window
; closed (clac: an exception inside the window closes it; iretq puts the
; interrupted code's AC back). The way back to ring 3 is return_to_user,
; the one exit that checks the return address.
align 16
interrupt_common:
    test qword [rsp + 24], 3            ; saved CS, above vector and error code
    jz .from_kernel
    swapgs
.from_kernel:
    lfence
    USER_ACCESS_END
    PUSH_GPRS
    cld
    mov rdi, rsp
    call interrupt_dispatch
    test qword [rsp + FRAME_CS], 3
    jnz .to_user
    POP_GPRS
    add rsp, 16                         ; vector and error code
    iretq
.to_user:
    mov rdi, rsp
    jmp return_to_user

section .rodata
global interrupt_stub_table
align 8
interrupt_stub_table:
%assign vector 0
%rep 256
    dq interrupt_stub_%+vector
%assign vector vector + 1
%endrep
