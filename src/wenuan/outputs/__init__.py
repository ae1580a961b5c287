"""Files people open: the template, annotated copy, total workbook, Word report, notices."""
