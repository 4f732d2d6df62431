# ptrace platform: linked only with the core
hostcore-y +=
