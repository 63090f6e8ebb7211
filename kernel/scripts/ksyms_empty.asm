; ksyms_empty.asm: the stage-1 kernel has an empty .ksyms section.
section .ksyms progbits alloc noexec nowrite align=8
