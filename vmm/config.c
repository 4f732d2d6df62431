// SPDX-License-Identifier: Apache-2.0
/*
 * config.c: `sentry-vm run [OPTIONS] IMAGE [--] [CMD [ARGS...]]`. Options
 * stop at the image name, so the command's own flags are never ours.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/config.h"

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define MAX_ENV 256

void config_usage(void)
{
	fputs("usage: sentry-vm run [OPTIONS] IMAGE [--] [CMD [ARGS...]]\n"
	      "\n"
	      "Run CMD from the rootfs tar IMAGE in a sandbox: a KVM guest kernel\n"
	      "serves its syscalls (ptrace platform where KVM is unusable).\n"
	      "\n"
	      "options:\n"
	      "  --platform=P       auto (default), kvm or ptrace\n"
	      "  -e, --env K=V      set an environment variable (repeatable)\n"
	      "  -w, --workdir DIR  working directory in the image (default /)\n"
	      "  -m, --memory SIZE  guest RAM, e.g. 256M or 1G (default 512M)\n"
	      "  --cpus N           vCPUs; only 1 for now (the default)\n"
	      "  -u, --user UID[:GID]  numeric user to run as (default 0:0)\n"
	      "  --read-only        the root is not writable (/tmp and /dev still are);\n"
	      "                     otherwise writes go to memory, never to the image\n"
	      "  --strace           log every syscall of the app to stderr\n"
	      "  -v, --verbose      more sentry diagnostics (e.g. unsupported syscalls)\n"
	      "  -q, --quiet        no informational messages\n"
	      "  -h, --help         this text\n"
	      "  --version          print the version\n"
	      "\n"
	      "exit status: the command's, 128+N if signal N killed it, 125 if\n"
	      "sentry-vm failed, 126 if CMD cannot be executed, 127 if CMD is not\n"
	      "found, 123 if the guest kernel misbehaved.\n",
	      stdout);
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'G': case 'g': v <<= 30; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'K': case 'k': v <<= 10; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v < (16ULL << 20) || v > (64ULL << 30))
		return -EINVAL;
	*out = v & ~0xfffULL;
	return 0;
}

static int add_env(struct vmm_config *cfg, int *n, const char *kv)
{
	size_t klen;
	const char *eq = strchr(kv, '=');

	if (!eq || eq == kv) {
		fprintf(stderr, "sentry-vm: error: -e %s: expected KEY=VALUE\n", kv);
		return -EINVAL;
	}
	klen = eq - kv + 1;
	for (int i = 0; i < *n; i++) {
		if (strncmp(cfg->envp[i], kv, klen) == 0) {
			cfg->envp[i] = (char *)kv;	/* later settings win */
			return 0;
		}
	}
	if (*n >= MAX_ENV) {
		fprintf(stderr, "sentry-vm: error: more than %d environment variables\n", MAX_ENV);
		return -E2BIG;
	}
	cfg->envp[(*n)++] = (char *)kv;
	cfg->envp[*n] = NULL;
	return 0;
}

static int parse_user(const char *s, uint32_t *uid, uint32_t *gid)
{
	char *end;
	unsigned long u, g;

	errno = 0;
	u = strtoul(s, &end, 10);
	if (errno || end == s || u > 0xfffffffe)
		return -EINVAL;
	g = u;
	if (*end == ':') {
		s = end + 1;
		g = strtoul(s, &end, 10);
		if (errno || end == s || g > 0xfffffffe)
			return -EINVAL;
	}
	if (*end)
		return -EINVAL;
	*uid = u;
	*gid = g;
	return 0;
}

static int bad(const char *what)
{
	fprintf(stderr, "sentry-vm: error: %s (see sentry-vm --help)\n", what);
	return -EINVAL;
}

int config_parse(int argc, char **argv, struct vmm_config *cfg)
{
	enum { OPT_PLATFORM = 256, OPT_STRACE, OPT_VERSION, OPT_READ_ONLY, OPT_CPUS };
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, OPT_PLATFORM },
		{ "env", required_argument, NULL, 'e' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "memory", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "user", required_argument, NULL, 'u' },
		{ "strace", no_argument, NULL, OPT_STRACE },
		{ "read-only", no_argument, NULL, OPT_READ_ONLY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t uid = 0, gid = 0;
	int c, nenv = 0;
	bool home_set = false;

	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = (uint64_t)CONFIG_GUEST_RAM_MB << 20;
	cfg->ncpus = 1;
	cfg->loglevel = 4;	/* warnings and errors */
	cfg->envp = calloc(MAX_ENV + 1, sizeof(char *));
	if (!cfg->envp)
		return -ENOMEM;
	cfg->envp[nenv++] = DEFAULT_PATH;
	cfg->envp[nenv++] = "HOSTNAME=sentry";

	if (argc < 2)
		return bad("no command: expected `sentry-vm run IMAGE CMD...`");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return CONFIG_HELP;
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return CONFIG_VERSION;
	if (strcmp(argv[1], "run"))
		return bad("unknown command; the command is `run`");

	optind = 2;
	/* '+': stop at the first non-option (the image): CMD's flags are not ours */
	while ((c = getopt_long(argc, argv, "+e:w:m:u:vqh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_PLATFORM:
			if (!strcmp(optarg, "auto"))
				cfg->platform = VMM_PLATFORM_AUTO;
			else if (!strcmp(optarg, "kvm"))
				cfg->platform = VMM_PLATFORM_KVM;
			else if (!strcmp(optarg, "ptrace"))
				cfg->platform = VMM_PLATFORM_PTRACE;
			else
				return bad("--platform must be auto, kvm or ptrace");
			break;
		case 'e':
			if (!strncmp(optarg, "HOME=", 5))
				home_set = true;
			if (add_env(cfg, &nenv, optarg))
				return -EINVAL;
			break;
		case 'w':
			if (optarg[0] != '/')
				return bad("--workdir must be an absolute path");
			cfg->cwd = optarg;
			break;
		case 'm':
			if (parse_size(optarg, &cfg->ram_size))
				return bad("--memory must be a size between 16M and 64G, e.g. 256M");
			break;
		case OPT_CPUS:
			/* the sentry is not SMP-safe yet: say so rather than run on one */
			if (strcmp(optarg, "1"))
				return bad("--cpus: only 1 vCPU is supported for now");
			break;
		case 'u':
			if (parse_user(optarg, &uid, &gid))
				return bad("--user must be UID or UID:GID (numbers)");
			break;
		case OPT_STRACE:
			cfg->strace = true;
			break;
		case OPT_READ_ONLY:
			cfg->read_only = true;
			break;
		case 'v':
			cfg->loglevel = 7;
			break;
		case 'q':
			cfg->quiet = true;
			cfg->loglevel = 3;
			break;
		case 'h':
			return CONFIG_HELP;
		case OPT_VERSION:
			return CONFIG_VERSION;
		default:
			return bad("unknown option");
		}
	}
	if (optind >= argc)
		return bad("no image: expected `sentry-vm run IMAGE CMD...`");
	cfg->image_path = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind >= argc)
		return bad("no command given, and plain rootfs images have no default command");
	cfg->argv = &argv[optind];
	cfg->argc = argc - optind;
	if (!home_set && add_env(cfg, &nenv, uid == 0 ? "HOME=/root" : "HOME=/"))
		return -EINVAL;
	cfg->uid = uid;
	cfg->gid = gid;
	return CONFIG_RUN;
}

void config_free(struct vmm_config *cfg)
{
	free(cfg->envp);
	cfg->envp = NULL;
}
