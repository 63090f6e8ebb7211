; context_switch.asm: switching kernel stacks between threads.
;
; void switch_context(u64* save_rsp, u64 load_rsp)
; Pushes the registers the System V ABI says a callee must preserve, stores
; rsp into *save_rsp, loads load_rsp and pops the other thread's registers.
; Everything else (caller-saved registers, the interrupt flag, FPU state) is
; the caller's business. A new thread's stack is prepared so that this
; `ret` lands in thread_start (see sched/thread.cpp).

bits 64
section .text

global switch_context
switch_context:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; First code of every new thread: r12 holds the entry function, r13 its
; argument (set up by Thread::create). thread_entry never returns.
extern thread_entry
global thread_start
thread_start:
    mov rdi, r12
    mov rsi, r13
    xor ebp, ebp                        ; the new thread's backtraces end here
    call thread_entry
    ud2
