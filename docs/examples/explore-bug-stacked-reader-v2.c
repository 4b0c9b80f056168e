// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C twin of explore-bug-stacked-reader-v2.jsh: a cumulative patch that allocates shadow
 * variable 0x77 in pre_patch and frees it in post_unpatch. With explore-bug-stacked-reader-v3.c
 * (a non-cumulative patch stacked on it that reads 0x77), disabling this one frees what v3
 * still reads (explore: shadow-read-after-free).
 *   klpsim explore --depth 5 --task meminfo_proc_show docs/examples/explore-bug-stacked-reader-v2.c docs/examples/explore-bug-stacked-reader-v3.c
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define SV_TABLE 0x77

static int stacked_v2_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "stacked v2\n");
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	pr_info("allocating the table\n");
	if (!klp_shadow_alloc(&init_task, SV_TABLE, 16, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static void post_unpatch(struct klp_object *obj)
{
	pr_info("freeing the table\n");
	klp_shadow_free(&init_task, SV_TABLE, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = stacked_v2_cmdline_proc_show,
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
	.replace = true,
};

static int stacked_v2_init(void)
{
	return klp_enable_patch(&patch);
}

static void stacked_v2_exit(void)
{
}

module_init(stacked_v2_init);
module_exit(stacked_v2_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: cumulative patch that frees 0x77 in post_unpatch (planted bug with v3)");
