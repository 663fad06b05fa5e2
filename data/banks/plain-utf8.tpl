# A plain UTF-8 file for a bank that takes delimited text: '|' between
# values and no quoting (a value holding '|' or a quote is refused, never
# mangled), LF, amounts in whole fen, the batch and its totals on line 1.
# AN EXAMPLE, not any bank's specification: copy it and adapt it to the
# layout the paying bank publishes (data/banks/README.md).
[file]
name = 通用 UTF-8 分隔文本（示例模板）
encoding = UTF-8
format = csv
delimiter = |
quote = none
eol = LF

[header]
batch_id
county
programme
month
count
sum fmt=fen

[detail]
line_id
name
id_number
account
amount fmt=fen

# The bank's answer: RFC 4180 CSV in UTF-8, no header, a trailer with the
# count and sum of every line.
[return]
encoding = UTF-8
format = csv
delimiter = ,
quote = minimal
eol = LF
paid = 成功
failed = 失败

[return.detail]
line_id
account
amount fmt=fen
status
reason_text

[return.trailer]
count
sum fmt=fen
