// SPDX-License-Identifier: GPL-2.0-only
/*
 * PLANTED BUG (for klp explore), the C twin of explore-bug-unpatch-free.jsh: a cumulative
 * version 2 of klp-cumulative-v1.c that takes the request counter over correctly, but whose
 * post_unpatch callback frees it unconditionally. When this patch's transition is reversed
 * (echo 0 > enabled while it is still patching, here because a task sleeps in
 * cmdline_proc_show), version 1 stays in charge and still uses the counter: its assertion
 * breaks.
 *   klpsim explore --depth 5 --task cmdline_proc_show docs/examples/klp-cumulative-v1.c docs/examples/explore-bug-unpatch-free.c
 * The fix: in post_unpatch, leave the counter when klp_get_prev_state() finds it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define COUNTER_STATE 1
#define SV_COUNTER 0x10

static int unpatch_free_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *counter = klp_shadow_get(&init_task, SV_COUNTER);

	seq_printf(m, "unpatch-free bug: request %ld\n", counter ? ++*counter : 0);
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	if (klp_get_prev_state(COUNTER_STATE)) {
		pr_info("taking over the request counter\n");
		return 0;
	}
	pr_info("allocating the request counter\n");
	if (!klp_shadow_get_or_alloc(&init_task, SV_COUNTER, 8, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

/* the bug: no klp_get_prev_state() check, so a reversed replace frees v1's counter */
static void post_unpatch(struct klp_object *obj)
{
	pr_info("freeing the request counter\n");
	klp_shadow_free(&init_task, SV_COUNTER, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = unpatch_free_cmdline_proc_show,
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

static int unpatch_free_init(void)
{
	return klp_enable_patch(&patch);
}

static void unpatch_free_exit(void)
{
}

module_init(unpatch_free_init);
module_exit(unpatch_free_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: cumulative v2 with a planted bug (post_unpatch frees what v1 still uses)");
