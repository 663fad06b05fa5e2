# A generic 惠民惠农财政补贴资金"一卡通" roster: CSV in GB18030 with CRLF,
# a summary line and a title line, a trailer with the control totals.
# AN EXAMPLE, not any bank's specification: copy it and adapt it to the
# layout the paying bank publishes (data/banks/README.md).
[file]
name = 一卡通通用 CSV（GB18030，示例模板）
encoding = GB18030
format = csv
delimiter = ,
quote = minimal
eol = CRLF

# line 1: the batch and its declared control count and sum
[header]
const=H
batch_id
county
month fmt=digits
count
sum fmt=yuan

# line 2: the column titles
[header]
const=序号
const=明细编号
const=姓名
const=身份证号码
const=账号
const=金额
const=项目
const=发放月份

[detail]
seq
line_id
name
id_number
account
amount fmt=yuan
programme
month fmt=digits

[trailer]
const=T
count
sum fmt=yuan

# The bank's answer: the same encoding, a title line, a line per payment
# (S paid, F failed with its reason), and the totals of all and of paid.
[return]
encoding = GB18030
format = csv
delimiter = ,
quote = minimal
eol = CRLF
paid = S
failed = F

[return.header]
const=明细编号
const=账号
const=金额
const=状态
const=失败原因代码
const=失败原因

[return.detail]
line_id
account
amount fmt=yuan
status
reason_code
reason_text

[return.trailer]
const=T
count
sum fmt=yuan
paid_count
paid_sum fmt=yuan
