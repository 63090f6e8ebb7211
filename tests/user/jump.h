/* jump.h: a minimal setjmp/longjmp for the tests that leave a signal
 * handler by jumping (raw system calls, no C library): save_point keeps
 * rbx, rbp, r12-r15, rsp and the return address; jump_back returns there
 * again with value. One copy per test program (each is its own binary). */
#ifndef KITE_TEST_JUMP_H
#define KITE_TEST_JUMP_H

typedef unsigned long jump_buffer[8];
int save_point(jump_buffer b);
__attribute__((noreturn)) void jump_back(jump_buffer b, int value);
__asm__(".text\n"
        "save_point:\n"
        "    mov %rbx, 0(%rdi)\n"
        "    mov %rbp, 8(%rdi)\n"
        "    mov %r12, 16(%rdi)\n"
        "    mov %r13, 24(%rdi)\n"
        "    mov %r14, 32(%rdi)\n"
        "    mov %r15, 40(%rdi)\n"
        "    lea 8(%rsp), %rdx\n"
        "    mov %rdx, 48(%rdi)\n"
        "    mov (%rsp), %rdx\n"
        "    mov %rdx, 56(%rdi)\n"
        "    xor %eax, %eax\n"
        "    ret\n"
        "jump_back:\n"
        "    mov 0(%rdi), %rbx\n"
        "    mov 8(%rdi), %rbp\n"
        "    mov 16(%rdi), %r12\n"
        "    mov 24(%rdi), %r13\n"
        "    mov 32(%rdi), %r14\n"
        "    mov 40(%rdi), %r15\n"
        "    mov 48(%rdi), %rsp\n"
        "    mov %esi, %eax\n"
        "    jmp *56(%rdi)\n");

#endif
