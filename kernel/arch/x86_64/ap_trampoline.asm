; ap_trampoline.asm: where an application processor starts. A STARTUP IPI
; starts it in real mode at CS:IP = 0x0800:0000, so smp_boot.cpp copies the
; bytes between ap_trampoline_start and ap_trampoline_end to physical
; TRAMPOLINE_BASE (0x8000) and fills in their parameter block. They never
; run where the kernel image has them, hence .rodata: every address they
; use is TRAMPOLINE_BASE plus an offset within the copy.
;
; real mode -> protected mode (the copy's own GDT) -> long mode with the
; trampoline page tables (the low 2 MiB identity-mapped, the kernel half
; shared) -> ap_higher_half, which switches to the kernel's page tables and
; calls ap_main(cpu).

TRAMPOLINE_BASE equ 0x8000

%define LOW(label) (TRAMPOLINE_BASE + (label) - ap_trampoline_start)

bits 16
section .rodata
align 16
global ap_trampoline_start, ap_trampoline_end, ap_trampoline_parameters
ap_trampoline_start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    lgdt [LOW(trampoline_gdt_pointer)]
    mov eax, cr0
    or eax, 1                           ; PE
    mov cr0, eax
    jmp dword 0x08:LOW(protected_mode)

bits 32
protected_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, 1 << 5                      ; PAE
    mov cr4, eax
    mov eax, [LOW(parameter_cr3)]
    mov cr3, eax
    mov ecx, 0xC0000080                 ; IA32_EFER
    rdmsr
    or eax, (1 << 8) | (1 << 11)        ; LME, NXE
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1   ; PG, WP, PE
    mov cr0, eax
    jmp 0x18:LOW(long_mode)

bits 64
long_mode:
    xor eax, eax
    mov ds, ax
    mov es, ax
    mov ss, ax
    ; Everything the higher half needs, read while the copy is still mapped.
    mov rsp, [LOW(parameter_stack_top)]
    mov rax, [LOW(parameter_cpu_local)]
    mov rdx, rax
    shr rdx, 32
    mov ecx, 0xC0000101                 ; IA32_GS_BASE: the CPU's CpuLocal
    wrmsr
    mov edi, [LOW(parameter_cpu)]
    mov rsi, [LOW(parameter_kernel_cr3)]
    mov rax, [LOW(parameter_entry)]
    jmp rax

align 8
trampoline_gdt:
    dq 0
    dq 0x00CF9A000000FFFF               ; 0x08: 32-bit code, flat
    dq 0x00CF92000000FFFF               ; 0x10: data, flat
    dq 0x00209A0000000000               ; 0x18: 64-bit code
trampoline_gdt_end:
trampoline_gdt_pointer:
    dw trampoline_gdt_end - trampoline_gdt - 1
    dd LOW(trampoline_gdt)

; Written by smp_boot.cpp before each start (ApTrampolineParameters).
align 8
ap_trampoline_parameters:
parameter_cr3:        dd 0              ; the trampoline PML4, below 4 GiB
parameter_cpu:        dd 0              ; CpuLocal::id of the CPU starting
parameter_stack_top:  dq 0
parameter_cpu_local:  dq 0
parameter_kernel_cr3: dq 0
parameter_entry:      dq 0              ; ap_higher_half
ap_trampoline_end:

bits 64
section .text
extern ap_main
global ap_higher_half
; rdi = cpu id, rsi = the kernel's PML4, rsp = this CPU's first stack.
ap_higher_half:
    mov cr3, rsi
    xor ebp, ebp                        ; ends the frame-pointer chain
    call ap_main                        ; never returns
    ud2
