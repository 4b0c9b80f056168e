// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C twin of explore-downgrade-v1.jsh: system state 5, version 1, a timeout in seconds
 * kept in shadow variable 0x50. With explore-downgrade-v2-bug.c (state 5 version 2, the
 * timeout in milliseconds, stacked on this one), disabling v2 takes the state back down to
 * version 1 with the value still in milliseconds (explore: state-downgrade).
 *   klpsim explore --depth 3 docs/examples/explore-downgrade-v1.c docs/examples/explore-downgrade-v2-bug.c
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define TIMEOUT_STATE 5
#define SV_TIMEOUT 0x50

static int downgrade_v1_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *t = klp_shadow_get(&init_task, SV_TIMEOUT);

	if (t)
		seq_printf(m, "timeout %ld s\n", *t);
	else
		seq_printf(m, "timeout ?\n");
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	long *t = klp_shadow_get_or_alloc(&init_task, SV_TIMEOUT, 8, GFP_KERNEL, NULL, NULL);

	if (!t)
		return -ENOMEM;
	*t = 30;
	return 0;
}

static void post_unpatch(struct klp_object *obj)
{
	klp_shadow_free(&init_task, SV_TIMEOUT, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = downgrade_v1_cmdline_proc_show,
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

static struct klp_state states[] = {
	{
		.id = TIMEOUT_STATE,
		.version = 1,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
};

static int downgrade_v1_init(void)
{
	return klp_enable_patch(&patch);
}

static void downgrade_v1_exit(void)
{
}

module_init(downgrade_v1_init);
module_exit(downgrade_v1_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: state 5 version 1 (a timeout in seconds)");
