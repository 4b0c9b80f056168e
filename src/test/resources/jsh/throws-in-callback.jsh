// A livepatch whose pre_patch callback throws (line 7): the exception is reported with this
// line and counts as -EINVAL, so the enable fails and the patch is cancelled.
m.livepatch();
m.init(() -> k.klpEnablePatch(k.patch()
        .object(null)
        .prePatch(obj -> {
            Object nothing = null; return nothing.hashCode();
        })
        .build()));
