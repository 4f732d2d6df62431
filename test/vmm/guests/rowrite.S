/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rowrite.S: a store into the image, a read-only memory slot. The boot
 * tables map the image read-only, so first make the guest's own mapping of
 * it writable (PD entry 0 under PML4 entry 274, the image's direct map):
 * only the memslot may stop the store.
 */
#include "../guest.h"

#define DMAP		0xffff888000000000	/* DIRECT_MAP_BASE */
#define IMAGE_PML4	274

	.text
	.globl _start
_start:
	mov	%cr3, %rax
	movabs	$0x000ffffffffff000, %rdx
	movabs	$DMAP, %rcx
	and	%rdx, %rax
	add	%rcx, %rax
	mov	(IMAGE_PML4 * 8)(%rax), %rax	/* PML4E -> PDPT */
	and	%rdx, %rax
	add	%rcx, %rax
	mov	(%rax), %rax			/* PDPTE -> PD */
	and	%rdx, %rax
	add	%rcx, %rax
	orq	$2, (%rax)			/* PDE 0: RW */
	movabs	$IMAGE_VA, %rbx
	invlpg	(%rbx)
	movq	$1, (%rbx)
	GUEST_EXIT 0
	.section .note.GNU-stack, "", @progbits
