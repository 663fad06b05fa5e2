/* SPDX-License-Identifier: MIT */
/* The one table of status codes: name, HTTP status and default message. */
#include "core/status.h"

static const struct dd_status_info table[] = {
    {DD_OK, "OK", 200, "OK", "ok", "成功"},
    {DD_ENOMEM, "ENOMEM", 503, "TOO_LARGE",
     "the request needs more memory than allowed", "请求所需内存超出限制"},
    {DD_EINVAL, "EINVAL", 400, "INVALID", "the request is invalid",
     "请求无效"},
    {DD_ENOTFOUND, "ENOTFOUND", 404, "NOT_FOUND", "no such record",
     "记录不存在"},
    {DD_ECONFLICT, "ECONFLICT", 409, "CONFLICT",
     "the record was changed or already exists", "记录已被修改或已存在"},
    {DD_EDENIED, "EDENIED", 403, "FORBIDDEN", "your role may not do this",
     "您的角色无权执行此操作"},
    {DD_ESTORE, "ESTORE", 503, "STORE_UNAVAILABLE",
     "the database is unavailable; try again", "数据库暂不可用，请稍后重试"},
    {DD_EINTERNAL, "EINTERNAL", 500, "INTERNAL", "internal error",
     "服务器内部错误"},
    {DD_ETOOBIG, "ETOOBIG", 413, "TOO_LARGE",
     "the request needs more memory than allowed", "请求所需内存超出限制"},
    {DD_EUNAUTH, "EUNAUTH", 401, "UNAUTHENTICATED",
     "sign in first", "请先登录"},
    {DD_ELOCKED, "ELOCKED", 403, "ACCOUNT_LOCKED",
     "the account is locked", "账户已锁定"},
    {DD_ERATE, "ERATE", 429, "TOO_MANY_REQUESTS",
     "too many requests; try again later", "请求过于频繁，请稍后再试"},
    {DD_EREFUSED, "EREFUSED", 422, "REFUSED",
     "the rules in force refuse this request", "按现行规则不能办理此请求"},
};

const struct dd_status_info *
dd_status_info(enum dd_status st)
{
    if ((unsigned)st < sizeof(table) / sizeof(table[0]) &&
        table[st].status == st)
        return &table[st];
    return &table[DD_EINTERNAL];
}

const char *
dd_status_name(enum dd_status st)
{
    if ((unsigned)st < sizeof(table) / sizeof(table[0]))
        return table[st].name;
    return "UNKNOWN";
}

enum dd_status
dd_invalid(struct dd_error *err, const char *code, const char *field,
           const char *en, const char *zh)
{
    if (err) {
        err->code = code;
        err->field = field;
        err->message = en;
        err->message_zh = zh;
    }
    return DD_EINVAL;
}
