/*
 * render_pdf_page.h - the PDF page geometry, in one place: A4 portrait in
 * PDF points (1/72 in), y down from the top; the margins, the band the
 * cursor may use, and the cap on one run of server text.  Used by
 * render_pdf.c and render_pdf_reports.c through render_pdf.h.
 */
#ifndef PMIF_RENDER_PDF_PAGE_H
#define PMIF_RENDER_PDF_PAGE_H

#define PAGE_W   595.0
#define PAGE_H   842.0
#define MARGIN_L 42.0
#define MARGIN_R 42.0
#define TOP      44.0
#define BOTTOM   (PAGE_H - 50.0)
#define WIDTH    (PAGE_W - MARGIN_L - MARGIN_R)
#define MAX_TEXT 20000

#endif
