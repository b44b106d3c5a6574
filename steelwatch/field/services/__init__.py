"""Every write of field work, by section: draws (双随机), patrols (check-ins), safety (回头看), support
(cameras, experts, training, funds)."""
