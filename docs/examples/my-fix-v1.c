// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C twin of my-fix-v1.jsh: shadow hand-over, version 1. It counts /proc/cmdline requests
 * in shadow variable 0x42 of init_task and never frees the counter; my-fix-v2.c, an atomic
 * replace, takes it over (klp_shadow_get_or_alloc finds it) and frees it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define SV_REQUESTS 0x42

static int my_fix_v1_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *n = klp_shadow_get(&init_task, SV_REQUESTS);

	seq_printf(m, "my_fix v1: request %ld\n", n ? ++*n : 0);
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	if (!klp_shadow_get_or_alloc(&init_task, SV_REQUESTS, 8, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = my_fix_v1_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int my_fix_init(void)
{
	return klp_enable_patch(&patch);
}

static void my_fix_exit(void)
{
}

module_init(my_fix_init);
module_exit(my_fix_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: shadow hand-over, v1 (never frees its counter)");
