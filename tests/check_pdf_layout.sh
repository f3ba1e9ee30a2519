#!/usr/bin/env bash
# check_pdf_layout.sh OUTDIR - what a member reads in the sample PDFs
# (pmif-render-sample OUTDIR) is whole and the Cabinet report has no
# near-empty page:
#   - every page of cabinet.pdf but the last carries at least MIN_LINES
#     lines of text;
#   - the longest officer's note and measure title of the sample appear
#     whole (wrapped, not cut with an ellipsis) in cabinet.pdf, and so do
#     Cabinet's action from a previous meeting and its overdue in words.
set -u
dir=$1
MIN_LINES=${MIN_LINES:-25}
command -v pdftotext >/dev/null || { echo "check_pdf_layout: pdftotext is not installed: skipped" >&2; exit 77; }
fail=0
pages=$(pdfinfo "$dir/cabinet.pdf" | awk '/^Pages:/ {print $2}')
echo "# cabinet.pdf: $pages pages"
for p in $(seq 1 $((pages - 1))); do
	n=$(pdftotext -f "$p" -l "$p" "$dir/cabinet.pdf" - | grep -c '[A-Za-z]')
	if [ "$n" -lt "$MIN_LINES" ]; then
		echo "not ok - cabinet.pdf page $p of $pages has only $n lines of text"
		fail=1
	fi
done
text=$(pdftotext "$dir/cabinet.pdf" - | tr -s ' \n' '  ')
for phrase in "placement over six weeks reports to the Housing OSC in the autumn." \
	"Older people still at home 91 days after hospital discharge into reablement (%)" \
	"requested by Corporate Resources OSC." \
	"communities from the outset, starting with the Birtley and Chopwell pilots." \
	"overdue: due 2023-03-31, 40 days ago"; do
	case $text in
	*"$phrase"*) echo "ok - whole in cabinet.pdf: $phrase" ;;
	*) echo "not ok - cut or missing in cabinet.pdf: $phrase"; fail=1 ;;
	esac
done
case $text in
*$'\u2026'*) echo "not ok - cabinet.pdf cuts some text with an ellipsis"; fail=1 ;;
esac
exit $fail
