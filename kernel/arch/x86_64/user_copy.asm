; user_copy.asm: copying to and from user memory. The copying instructions
; are listed in the exception table: a fault there (an unmapped or
; forbidden page) resumes at the fixup, which returns the number of bytes
; NOT copied. Callers check ranges first (mm/user_memory.cpp); this only
; makes the copy itself survive a bad page.
;
; Each user access sits in a USER_ACCESS_BEGIN/END window (macros.inc: stac
; and clac under SMAP). A fault inside it enters the kernel with the window
; closed (the entry stubs clac) and iretq reopens it for the fixup, so each
; fixup closes the window itself before it returns.

bits 64
%include "macros.inc"
section .text

; u64 copy_user_bytes(void* to, const void* from, u64 count): returns 0 on
; success, else how many bytes were left when the fault hit. Eight bytes a
; step, then the rest; a fault in the eight-byte part goes on a byte at a
; time from where it stopped, so the copy ends exactly at the bad byte (a
; read into a buffer that runs into an unmapped page fills it up to there).
global copy_user_bytes
copy_user_bytes:
    push rbp
    mov rbp, rsp
    mov rcx, rdx
    shr rcx, 3
    USER_ACCESS_BEGIN
.quads:
    rep movsq
    mov rcx, rdx
    and rcx, 7
.bytes:
    rep movsb
    USER_ACCESS_END
    xor eax, eax
    pop rbp
    ret
.quads_fault:
    shl rcx, 3                          ; the quads left, as bytes, and the tail
    and rdx, 7
    add rcx, rdx
    jmp .bytes                          ; the window is still open
.bytes_fault:
    USER_ACCESS_END
    mov rax, rcx                        ; rep movsb leaves the remaining count in rcx
    pop rbp
    ret
EXTABLE copy_user_bytes.quads, copy_user_bytes.quads_fault
EXTABLE copy_user_bytes.bytes, copy_user_bytes.bytes_fault

; i64 copy_user_string(char* to, const char* from, u64 capacity): copies up
; to and including the NUL; returns the length without the NUL, -1 on a
; fault, -2 if no NUL came within capacity bytes.
global copy_user_string
copy_user_string:
    push rbp
    mov rbp, rsp
    xor eax, eax
    USER_ACCESS_BEGIN
.next:
    cmp rax, rdx
    je .too_long
.load:
    mov cl, [rsi + rax]
    mov [rdi + rax], cl
    test cl, cl
    jz .done
    inc rax
    jmp .next
.done:
    USER_ACCESS_END
    pop rbp
    ret
.too_long:
    USER_ACCESS_END
    mov rax, -2
    pop rbp
    ret
.fault:
    USER_ACCESS_END
    mov rax, -1
    pop rbp
    ret
EXTABLE copy_user_string.load, copy_user_string.fault

; u64 fill_user_bytes(void* to, u8 value, u64 count): returns 0 on success,
; else how many bytes were left when the fault hit.
global fill_user_bytes
fill_user_bytes:
    push rbp
    mov rbp, rsp
    mov eax, esi
    mov rcx, rdx
    USER_ACCESS_BEGIN
.fill:
    rep stosb
    USER_ACCESS_END
    xor eax, eax
    pop rbp
    ret
.fault:
    USER_ACCESS_END
    mov rax, rcx                        ; rep stosb leaves the remaining count in rcx
    pop rbp
    ret
EXTABLE fill_user_bytes.fill, fill_user_bytes.fault

; i64 compare_exchange_user_u32(u32* address, u32 expected, u32 desired):
; one atomic compare-and-exchange (futexes); returns the value that was
; there (desired was stored if it equals expected), or -1 on a fault.
global compare_exchange_user_u32
compare_exchange_user_u32:
    push rbp
    mov rbp, rsp
    mov eax, esi                        ; zero-extends: the result is a u32
    USER_ACCESS_BEGIN
.exchange:
    lock cmpxchg [rdi], edx             ; eax: the old value, either way
    USER_ACCESS_END
    pop rbp
    ret
.fault:
    USER_ACCESS_END
    mov rax, -1
    pop rbp
    ret
EXTABLE compare_exchange_user_u32.exchange, compare_exchange_user_u32.fault
