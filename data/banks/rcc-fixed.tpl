# A fixed-width batch file in the style of rural credit co-operative and
# rural commercial bank (农商行) payroll batches: GB18030, CRLF, widths in
# bytes of GB18030 (a Chinese character takes 2), numbers zero-padded on
# the left, text space-padded on the right, amounts in whole fen.
# AN EXAMPLE, not any bank's specification: copy it and adapt it to the
# layout the paying bank publishes (data/banks/README.md).
[file]
name = 农商行定长批量代发文件（GB18030，示例模板）
encoding = GB18030
format = fixed
eol = CRLF

[header]
const=H width=1
batch_id width=20
county width=6
month fmt=digits width=6
date fmt=digits width=8
count width=8 align=right pad=zero
sum fmt=fen width=15 align=right pad=zero

[detail]
const=D width=1
seq width=8 align=right pad=zero
account width=32
name width=40
id_number width=18
amount fmt=fen width=12 align=right pad=zero
line_id width=32

[trailer]
const=T width=1
count width=8 align=right pad=zero
sum fmt=fen width=15 align=right pad=zero

# The bank's answer: status 0 paid, 1 failed with a 4-character reason
# code and text; the header echoes the batch and its totals, the trailer
# counts the paid lines.
[return]
encoding = GB18030
format = fixed
eol = CRLF
paid = 0
failed = 1

[return.header]
const=H width=1
skip width=20
count width=8
sum fmt=fen width=15

[return.detail]
const=D width=1
line_id width=32
account width=32
amount fmt=fen width=12
status width=1
reason_code width=4
reason_text width=60

[return.trailer]
const=T width=1
paid_count width=8
paid_sum fmt=fen width=15
