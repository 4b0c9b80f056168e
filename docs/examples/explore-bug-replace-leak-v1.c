// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C twin of explore-bug-replace-leak-v1.jsh: a patch that allocates shadow variable 0x55
 * in pre_patch and frees it in post_unpatch, correct on its own. With
 * explore-bug-replace-leak-v2.c (the planted bug), an atomic replace that neither takes 0x55
 * over nor frees it, the variable leaks: a replaced patch's post_unpatch does not run, and
 * once this module is removed nothing that knows the variable is left.
 *   klpsim explore --depth 3 docs/examples/explore-bug-replace-leak-v1.c docs/examples/explore-bug-replace-leak-v2.c
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define SV_STATS 0x55

static int replace_leak_v1_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "replace-leak v1");
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	pr_info("allocating the statistics\n");
	if (!klp_shadow_alloc(&init_task, SV_STATS, 8, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static void post_unpatch(struct klp_object *obj)
{
	pr_info("freeing the statistics\n");
	klp_shadow_free(&init_task, SV_STATS, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = replace_leak_v1_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch,
			.post_unpatch = post_unpatch,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int replace_leak_v1_init(void)
{
	return klp_enable_patch(&patch);
}

static void replace_leak_v1_exit(void)
{
}

module_init(replace_leak_v1_init);
module_exit(replace_leak_v1_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: allocates 0x55 in pre_patch, frees it in post_unpatch");
