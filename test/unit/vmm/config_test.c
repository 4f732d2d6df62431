// SPDX-License-Identifier: Apache-2.0
/* config_test.c: sentry-vm's command line. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "vmm/config.h"

#define ARGV(...) ((char *[]){ "sentry-vm", __VA_ARGS__, NULL })

/* Parse a NULL-terminated argv (argc is counted, so tests cannot get it wrong). */
static int parse(char **argv, struct vmm_config *cfg)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return config_parse(argc, argv, cfg);
}

static const char *env(const struct vmm_config *cfg, const char *key)
{
	size_t n = strlen(key);

	for (char **e = cfg->envp; *e; e++)
		if (!strncmp(*e, key, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

Test(config, run_takes_image_and_command_and_leaves_command_flags_alone)
{
	char **v = ARGV("run", "--strace", "img.tar", "/bin/ls", "-l", "--platform=kvm");
	struct vmm_config cfg;

	cr_assert_eq(parse(v, &cfg), CONFIG_RUN);
	cr_assert_str_eq(cfg.image_path, "img.tar");
	cr_assert(cfg.strace);
	cr_assert(!cfg.read_only);
	cr_assert_eq(cfg.platform, VMM_PLATFORM_AUTO);
	cr_assert_eq(cfg.argc, 3);
	cr_assert_str_eq(cfg.argv[0], "/bin/ls");
	cr_assert_str_eq(cfg.argv[2], "--platform=kvm");
	cr_assert_str_eq(env(&cfg, "HOME"), "/root");
	cr_assert_not_null(env(&cfg, "PATH"));
	config_free(&cfg);
}

Test(config, double_dash_separates_the_command)
{
	char **v = ARGV("run", "--platform=ptrace", "--read-only", "img.tar", "--", "/bin/true");
	struct vmm_config cfg;

	cr_assert_eq(parse(v, &cfg), CONFIG_RUN);
	cr_assert_eq(cfg.platform, VMM_PLATFORM_PTRACE);
	cr_assert(cfg.read_only);
	cr_assert_str_eq(cfg.argv[0], "/bin/true");
	config_free(&cfg);
}

Test(config, env_workdir_memory_user)
{
	char **v = ARGV("run", "-e", "A=1", "-e", "PATH=/x", "-w", "/tmp", "-m", "256M",
			"-u", "1000:100", "img.tar", "cmd");
	struct vmm_config cfg;

	cr_assert_eq(parse(v, &cfg), CONFIG_RUN);
	cr_assert_str_eq(env(&cfg, "A"), "1");
	cr_assert_str_eq(env(&cfg, "PATH"), "/x");
	cr_assert_str_eq(env(&cfg, "HOME"), "/");
	cr_assert_str_eq(cfg.cwd, "/tmp");
	cr_assert_eq(cfg.ram_size, 256ULL << 20);
	cr_assert_eq(cfg.uid, 1000);
	cr_assert_eq(cfg.gid, 100);
	config_free(&cfg);
}

Test(config, bad_input_is_an_error_with_a_message, .init = cr_redirect_stderr)
{
	struct vmm_config cfg;
	char **cases[] = {
		ARGV("run"),
		ARGV("run", "img.tar"),
		ARGV("frobnicate", "img.tar", "cmd"),
		ARGV("run", "--platform=xen", "img.tar", "cmd"),
		ARGV("run", "-m", "12Q", "img.tar", "cmd"),
		ARGV("run", "-m", "1M", "img.tar", "cmd"),
		ARGV("run", "-e", "NOEQUALS", "img.tar", "cmd"),
		ARGV("run", "-w", "relative", "img.tar", "cmd"),
		ARGV("run", "-u", "root", "img.tar", "cmd"),
		ARGV("run", "--nope", "img.tar", "cmd"),
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_lt(parse(cases[i], &cfg), 0, "case %zu", i);
		config_free(&cfg);
	}
	fflush(stderr);
	cr_assert_stderr_neq_str("");
}

Test(config, help_and_version)
{
	struct vmm_config cfg;

	cr_assert_eq(parse(ARGV("--help"), &cfg), CONFIG_HELP);
	config_free(&cfg);
	cr_assert_eq(parse(ARGV("run", "-h"), &cfg), CONFIG_HELP);
	config_free(&cfg);
	cr_assert_eq(parse(ARGV("--version"), &cfg), CONFIG_VERSION);
	config_free(&cfg);
}
