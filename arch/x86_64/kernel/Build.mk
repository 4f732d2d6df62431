# guest-only: filled in by the KVM guest work
guest-y +=
