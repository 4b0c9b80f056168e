// SPDX-License-Identifier: GPL-2.0-only
/*
 * PLANTED BUG (for klp explore), the C twin of explore-bug-stacked-reader-v3.jsh: a
 * non-cumulative patch stacked on explore-bug-stacked-reader-v2.c that reads v2's shadow
 * variable 0x77, which v2 frees when it is disabled under this one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define SV_TABLE 0x77

static int stacked_v3_meminfo_proc_show(struct seq_file *m, void *v)
{
	void *table = klp_shadow_get(&init_task, SV_TABLE);

	seq_printf(m, table ? "stacked v3: table\n" : "stacked v3: no table\n");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "meminfo_proc_show",
		.new_func = stacked_v3_meminfo_proc_show,
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
};

static int stacked_v3_init(void)
{
	return klp_enable_patch(&patch);
}

static void stacked_v3_exit(void)
{
}

module_init(stacked_v3_init);
module_exit(stacked_v3_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: non-cumulative patch reading v2's shadow variable 0x77 (planted bug with v2)");
