/* SPDX-License-Identifier: MIT */
/* The settings table: every setting has a name, a type, a default, bounds
 * and a line of documentation (Redis's standardConfig). Values come from
 * flags, then DOUDI_* environment variables, then an optional config file,
 * then the default, in that order of precedence. */
#ifndef DD_CONFIG_H
#define DD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct config {
    char db[512];           /* sqlite:PATH or postgresql://... */
    char listen[128];       /* host:port */
    int threads;            /* HTTP thread pool size */
    int64_t body_limit;     /* bytes */
    char key_file[512];     /* the data key (0600) */
    char data_dir[512];     /* reference data: regions, holidays, ... */
    char web_dir[512];      /* the built UI (web/dist) */
    char log_level[8];      /* debug, info, warn, error */
    int session_idle_s;     /* idle timeout */
    int session_max_s;      /* absolute session lifetime */
    int lockout_failures;   /* failed logins before the lock */
    int lockout_s;          /* lock duration */
    int connection_limit;   /* concurrent HTTP connections */
    int login_rate_per_min; /* login attempts per client address */
    int calculator_rate_per_min; /* calculator requests per address */
    char demo_password[128];
    char config_file[512];
};

/* One row of the settings table. */
struct config_setting {
    const char *name;   /* flag --name and file key name */
    const char *env;    /* DOUDI_NAME */
    enum { CONFIG_STRING, CONFIG_INT } type;
    const char *def;
    int64_t min, max;   /* ints: bounds; strings: max length in max */
    size_t offset;      /* into struct config */
    size_t size;        /* string buffer size, or int width */
    const char *doc;
};

extern const struct config_setting config_settings[];
extern const size_t config_settings_count;

/* Fills cfg from defaults, the config file (flag --config or DOUDI_CONFIG),
 * the environment and the flags in argv (which are consumed: recognised
 * --name=value and --name value pairs are removed; *argc is updated).
 * On a bad value, returns DD_EINVAL with err naming the setting. */
enum dd_status config_load(struct config *cfg, int *argc, char **argv,
                           struct dd_error *err) DD_WUR;
/* Sets one setting by name from text, checking type and bounds. */
enum dd_status config_set(struct config *cfg, const char *name,
                          const char *value, struct dd_error *err) DD_WUR;
/* Prints the table (name, env, default, doc) for --help. */
void config_print_help(void *stream);
/* Prints the effective values; secret ones are shown as "(set)". */
void config_print(const struct config *cfg, void *stream);

#endif
