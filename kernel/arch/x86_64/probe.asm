; probe.asm: instructions that are allowed to fault. Each faulting
; instruction has an entry in .ex_table naming where execution resumes, so
; the exception handler turns the fault into a return value instead of a
; panic (see extable.h). The backtrace reads stack memory through
; probe_read_u64; later, copies from user memory use the same mechanism.
;
; All functions follow the System V ABI and return 1 on success (no fault)
; and 0 when the instruction faulted, except where noted. Each keeps a frame
; pointer, so a backtrace from a fault inside one still names its caller.

bits 64
%include "macros.inc"
section .text

; bool probe_read_u64(u64 address, u64* value)
global probe_read_u64
probe_read_u64:
    push rbp
    mov rbp, rsp
.access:
    mov rax, [rdi]
    mov [rsi], rax
    mov eax, 1
    pop rbp
    ret
.fault:
    xor eax, eax
    pop rbp
    ret
EXTABLE probe_read_u64.access, probe_read_u64.fault

; bool probe_write_u8(u64 address, u8 value)
global probe_write_u8
probe_write_u8:
    push rbp
    mov rbp, rsp
.access:
    mov [rdi], sil
    mov eax, 1
    pop rbp
    ret
.fault:
    xor eax, eax
    pop rbp
    ret
EXTABLE probe_write_u8.access, probe_write_u8.fault

; bool probe_divide(u64 dividend, u64 divisor, u64* quotient)
global probe_divide
probe_divide:
    push rbp
    mov rbp, rsp
    mov r8, rdx
    mov rax, rdi
    xor edx, edx
.access:
    div rsi
    mov [r8], rax
    mov eax, 1
    pop rbp
    ret
.fault:
    xor eax, eax
    pop rbp
    ret
EXTABLE probe_divide.access, probe_divide.fault

; bool probe_invalid_opcode(void): returns 0 when ud2 faulted as it must.
global probe_invalid_opcode
probe_invalid_opcode:
    push rbp
    mov rbp, rsp
.access:
    ud2
    mov eax, 1
    pop rbp
    ret
.fault:
    xor eax, eax
    pop rbp
    ret
EXTABLE probe_invalid_opcode.access, probe_invalid_opcode.fault

; bool probe_breakpoint(void): int3 is a trap, so the CPU reports the address
; after it; that is the address in the table. Returns 0 when the kernel's
; breakpoint path ran and took the fixup, 1 if execution just fell through.
global probe_breakpoint
probe_breakpoint:
    push rbp
    mov rbp, rsp
    int3
.after:
    mov eax, 1
    pop rbp
    ret
.fault:
    xor eax, eax
    pop rbp
    ret
EXTABLE probe_breakpoint.after, probe_breakpoint.fault
