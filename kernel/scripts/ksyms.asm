; ksyms.asm: the generated kernel symbol table (see gen_ksyms.py), linked
; into the final kernel only.
section .ksyms progbits alloc noexec nowrite align=8
    incbin "ksyms.bin"
