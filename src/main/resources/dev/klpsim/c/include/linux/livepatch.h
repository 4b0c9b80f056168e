/* SPDX-License-Identifier: GPL-2.0-only */
/* klpsim: the kernel API it implements is declared in one file */
#include <linux/klpsim.h>
