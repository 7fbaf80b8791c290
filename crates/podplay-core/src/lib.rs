//! The pure, deterministic podplay engine: API objects, scheduler, kubelet, controllers on a virtual clock.
