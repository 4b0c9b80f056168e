// SPDX-License-Identifier: GPL-2.0-only
/*
 * PLANTED BUG (for klp explore), the C twin of explore-bug-takeover.jsh: a cumulative version
 * 2 of klp-cumulative-v1.c that does not take over its predecessor's shadow variable. It
 * keeps its request counter under a new id (0x11) and never looks at klp_get_prev_state(),
 * so the counter version 1 allocated (0x10) stays allocated after the replace.
 *   klpsim explore --depth 4 --all docs/examples/klp-cumulative-v1.c docs/examples/explore-bug-takeover.c
 * finds the leak; without --all it stops at the first one, at depth 2: version 1 loaded over
 * this one finds no counter under 0x10. The fix: keep the id, and take the counter over in
 * pre_patch when klp_get_prev_state() finds the state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define COUNTER_STATE 1
#define SV_COUNTER 0x11

static int takeover_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *counter = klp_shadow_get(&init_task, SV_COUNTER);

	seq_printf(m, "takeover bug: request %ld\n", counter ? ++*counter : 0);
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	pr_info("allocating a request counter of my own\n");
	if (!klp_shadow_get_or_alloc(&init_task, SV_COUNTER, 8, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static void post_unpatch(struct klp_object *obj)
{
	pr_info("freeing my request counter\n");
	klp_shadow_free(&init_task, SV_COUNTER, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = takeover_cmdline_proc_show,
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
		.id = COUNTER_STATE,
		.version = 1,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int takeover_init(void)
{
	return klp_enable_patch(&patch);
}

static void takeover_exit(void)
{
}

module_init(takeover_init);
module_exit(takeover_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: cumulative v2 with a planted bug (does not take over the counter)");
