// SPDX-License-Identifier: GPL-2.0-only
/*
 * PLANTED BUG (for klp explore), the C twin of explore-bug-replace-leak-v2.jsh, with
 * explore-bug-replace-leak-v1.c: an atomic replace of v1 that neither takes v1's shadow
 * variable 0x55 over nor frees it. After the replace v1's post_unpatch never runs (the kernel
 * runs no callback of a replaced patch), so once v1's module is removed 0x55 leaks.
 * The fix: take it over in pre_patch (klp_shadow_get_or_alloc, or a declared state and
 * klp_get_prev_state()) and free it in this patch's post_unpatch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int replace_leak_v2_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "replace-leak v2");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = replace_leak_v2_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int replace_leak_v2_init(void)
{
	return klp_enable_patch(&patch);
}

static void replace_leak_v2_exit(void)
{
}

module_init(replace_leak_v2_init);
module_exit(replace_leak_v2_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: atomic replace that forgets v1's shadow variable 0x55 (planted bug)");
