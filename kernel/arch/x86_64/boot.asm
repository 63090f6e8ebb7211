; boot.asm: from GRUB's 32-bit Multiboot2 hand-off to 64-bit C++ in the
; higher half.
;
; GRUB enters _start in 32-bit protected mode, paging off, with the Multiboot2
; magic in EAX and the physical address of the information block in EBX. We
; check that, check the CPU, build early page tables and enter long mode:
;
;   0x0000000000000000 + [0, 4 GiB)  identity map, only until we run high
;   0xffff800000000000 + [0, 4 GiB)  direct map of physical memory
;   0xffffffff80000000 + [0, 1 GiB)  the kernel image (linked at +1 MiB)
;
; all with 2 MiB pages, writable and executable. kernel_map.cpp replaces the
; kernel part with 4 KiB pages carrying section permissions, sets NX on the
; direct map and drops the identity map once the C++ GDT is loaded.

KERNEL_VMA      equ 0xffffffff80000000
MB2_HEADER_MAGIC equ 0xe85250d6
MB2_LOADER_MAGIC equ 0x36d76289
PAGE_PRESENT    equ 1 << 0
PAGE_WRITE      equ 1 << 1
PAGE_HUGE       equ 1 << 7
BOOT_STACK_SIZE equ 16384

; ---- Multiboot2 header: must be in the first 32 KiB of the file, 8-aligned --
section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
    dd MB2_HEADER_MAGIC
    dd 0                                    ; architecture: i386 protected mode
    dd mb2_header_end - mb2_header
    dd 0x100000000 - (MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
    dw 0, 0                                 ; end tag: type 0, flags 0
    dd 8                                    ; size 8
mb2_header_end:

; ---- early page tables and the boot stack (zeroed by GRUB as .bss) ----------
section .bss.page_tables nobits alloc noexec write align=4096
global boot_pml4, boot_pdpt_high, boot_pd_direct
boot_pml4:        resb 4096
boot_pdpt_direct: resb 4096             ; shared by the identity and direct maps
boot_pdpt_high:   resb 4096
boot_pd_direct:   resb 4096 * 4         ; 2048 x 2 MiB = 4 GiB

section .bss.stacks nobits alloc noexec write align=4096
global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:  resb 4096            ; left unmapped: overflow faults
boot_stack_bottom: resb BOOT_STACK_SIZE
boot_stack_top:

; ---- 32-bit bootstrap -------------------------------------------------------
section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
    cli
    cld
    mov esp, boot_stack_top - KERNEL_VMA
    mov edi, eax                        ; keep magic and info for kernel_main
    mov esi, ebx

    cmp eax, MB2_LOADER_MAGIC
    jne .bad_magic
    call check_cpu                      ; does not return on failure
    call build_page_tables

    mov eax, boot_pml4 - KERNEL_VMA
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                      ; CR4.PAE
    mov cr4, eax
    mov ecx, 0xC0000080                 ; IA32_EFER
    rdmsr
    or eax, (1 << 8) | (1 << 11)        ; LME, NXE
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1   ; PG, WP, PE
    mov cr0, eax

    lgdt [boot_gdt_pointer]
    jmp BOOT_CODE64:long_mode_low

.bad_magic:
    mov ebx, msg_bad_magic
    jmp boot_fail

; check_cpu: CPUID must exist and report long mode and NX.
check_cpu:
    pushfd
    pop eax
    mov ecx, eax
    xor eax, 1 << 21                    ; EFLAGS.ID is writable iff CPUID exists
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd
    cmp eax, ecx
    je .no_cpuid
    push edi
    push esi
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29                   ; LM
    jz .no_long_mode
    test edx, 1 << 20                   ; NX
    jz .no_nx
    pop esi
    pop edi
    ret
.no_cpuid:
    mov ebx, msg_no_cpuid
    jmp boot_fail
.no_long_mode:
    mov ebx, msg_no_long_mode
    jmp boot_fail
.no_nx:
    mov ebx, msg_no_nx
    jmp boot_fail

; build_page_tables: the three maps described at the top of this file.
build_page_tables:
    mov edx, boot_pd_direct - KERNEL_VMA
    xor ecx, ecx
.fill_pd:                               ; entry i maps physical i * 2 MiB
    mov eax, ecx
    shl eax, 21
    or eax, PAGE_PRESENT | PAGE_WRITE | PAGE_HUGE
    mov [edx + ecx * 8], eax
    mov dword [edx + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 2048
    jne .fill_pd

    mov edx, boot_pdpt_direct - KERNEL_VMA
    mov eax, (boot_pd_direct - KERNEL_VMA) + PAGE_PRESENT + PAGE_WRITE
    mov [edx + 0 * 8], eax
    add eax, 4096
    mov [edx + 1 * 8], eax
    add eax, 4096
    mov [edx + 2 * 8], eax
    add eax, 4096
    mov [edx + 3 * 8], eax

    mov edx, boot_pdpt_high - KERNEL_VMA
    mov dword [edx + 510 * 8], (boot_pd_direct - KERNEL_VMA) + PAGE_PRESENT + PAGE_WRITE

    mov edx, boot_pml4 - KERNEL_VMA
    mov eax, (boot_pdpt_direct - KERNEL_VMA) + PAGE_PRESENT + PAGE_WRITE
    mov [edx + 0 * 8], eax              ; identity
    mov [edx + 256 * 8], eax            ; direct map at 0xffff800000000000
    mov dword [edx + 511 * 8], (boot_pdpt_high - KERNEL_VMA) + PAGE_PRESENT + PAGE_WRITE
    ret

; boot_fail: print the NUL-terminated message at EBX to VGA (white on red)
; and COM1, then halt for good. Runs with paging off.
boot_fail:
    mov edi, 0xB8000
    mov esi, ebx
.vga:
    lodsb
    test al, al
    jz .serial
    mov ah, 0x4F
    stosw
    jmp .vga
.serial:
    mov esi, ebx
.next_byte:
    lodsb
    test al, al
    jz .halt
    mov ah, al
    mov dx, 0x3F8 + 5                   ; line status register
.wait:
    in al, dx
    test al, 0x20                       ; transmit holding register empty
    jz .wait
    mov al, ah
    mov dx, 0x3F8
    out dx, al
    jmp .next_byte
.halt:
    cli
    hlt
    jmp .halt

; ---- 64-bit trampoline, still at the physical address -----------------------
bits 64
long_mode_low:
    mov ax, BOOT_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rax, higher_half_entry
    jmp rax

section .boot.rodata progbits alloc noexec nowrite align=16
boot_gdt:
    dq 0
.code: equ $ - boot_gdt
    dq 0x00209A0000000000               ; 64-bit code, present, ring 0
.data: equ $ - boot_gdt
    dq 0x0000920000000000               ; data, present, writable
boot_gdt_end:
BOOT_CODE64 equ boot_gdt.code
BOOT_DATA   equ boot_gdt.data
boot_gdt_pointer:
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt

msg_bad_magic:    db "Kite: not started by a Multiboot2 loader (bad magic in EAX). Halted.", 13, 10, 0
msg_no_cpuid:     db "Kite: this CPU has no CPUID instruction. Halted.", 13, 10, 0
msg_no_long_mode: db "Kite: this CPU does not support 64-bit long mode. Halted.", 13, 10, 0
msg_no_nx:        db "Kite: this CPU does not support the NX (no-execute) bit. Halted.", 13, 10, 0

; ---- higher half --------------------------------------------------------------
section .text
extern run_global_constructors
extern kernel_main
extern cpu_locals
higher_half_entry:
    mov rsp, boot_stack_top
    xor ebp, ebp                        ; ends the frame-pointer chain
    mov edi, edi                        ; zero-extend magic and info address
    mov esi, esi
    ; GS base = the boot CPU's CpuLocal (cpu_local.h), before any C++: a
    ; spinlock taken by a constructor or console::init reads it.
    mov rax, cpu_locals
    mov rdx, rax
    shr rdx, 32
    mov ecx, 0xC0000101                 ; IA32_GS_BASE
    wrmsr
    push rdi
    push rsi
    call run_global_constructors
    pop rsi
    pop rdi
    call kernel_main                    ; does not return
.hang:
    cli
    hlt
    jmp .hang
