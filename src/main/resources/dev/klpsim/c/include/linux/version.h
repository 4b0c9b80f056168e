/* SPDX-License-Identifier: GPL-2.0-only */
/* LINUX_VERSION_CODE is the profile's kernel version (klpsim defines it) */
#include <linux/klpsim.h>
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
