// SPDX-License-Identifier: GPL-2.0-only
/*
 * PLANTED BUG (for klp explore), the C twin of explore-downgrade-v2-bug.jsh: state 5 version
 * 2 keeps the timeout of explore-downgrade-v1.c in milliseconds, but has no unpatch callback
 * that turns it back into seconds: disabling it takes the system down to version 1 with a
 * value version 1 misreads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define TIMEOUT_STATE 5
#define SV_TIMEOUT 0x50

static int downgrade_v2_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *t = klp_shadow_get(&init_task, SV_TIMEOUT);

	if (t)
		seq_printf(m, "timeout %ld ms\n", *t);
	else
		seq_printf(m, "timeout ?\n");
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	long *t = klp_shadow_get(&init_task, SV_TIMEOUT);

	if (!t)
		return -EINVAL;
	*t *= 1000;
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = downgrade_v2_cmdline_proc_show,
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

static struct klp_state states[] = {
	{
		.id = TIMEOUT_STATE,
		.version = 2,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
};

static int downgrade_v2_init(void)
{
	return klp_enable_patch(&patch);
}

static void downgrade_v2_exit(void)
{
}

module_init(downgrade_v2_init);
module_exit(downgrade_v2_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: state 5 version 2 (milliseconds), downgrade not handled (planted bug)");
