/*
 * style.c - /static/pmif.css, the one stylesheet: the reports' own
 * (render_html_css(), the same the packs carry inline) and the site's
 * around them: header, nav, forms, messages, visible focus, and a layout
 * that reads at 390 px (wide tables scroll inside their own labelled box).
 * Colours keep text contrast at 4.5:1 or more.
 */
#include <string.h>

#include "render.h"
#include "web.h"

static const char site_css[] =
    "\n/* pmif-web */\n"
    ".skip{position:absolute;left:-10000px;top:0;background:#fff;color:#1b1b1b;padding:8px 12px;"
    "z-index:10}\n.skip:focus{left:8px;top:8px}\n"
    "header.site{background:#1f4e79;color:#fff}\n"
    "header.site .bar{max-width:1120px;margin:0 auto;padding:10px 20px;display:flex;"
    "flex-wrap:wrap;gap:8px 20px;align-items:center}\n"
    "header.site a{color:#fff}\n"
    ".site-name{margin:0;font-weight:bold;font-size:18px;flex:1 1 auto}"
    ".site-name span{font-weight:normal;font-size:14px}\n"
    ".who{margin:0;font-size:14px}\n"
    "form.signout{margin:0}\n"
    "header.site nav{background:#163a5c}\n"
    "header.site nav ul{max-width:1120px;margin:0 auto;padding:4px 20px;list-style:none;"
    "display:flex;flex-wrap:wrap;gap:2px 16px;columns:auto}\n"
    "header.site nav a{display:inline-block;padding:6px 2px;color:#fff}\n"
    "header.site nav a[aria-current]{font-weight:bold;text-decoration:underline "
    "3px}\n"
    "main#main{max-width:1120px;margin:0 auto;padding:12px 20px 24px}\n"
    "footer.site{max-width:1120px;margin:0 auto;padding:0 20px 30px;color:#555;font-size:13px}\n"
    "a{color:#1f4e79}\n"
    "a:focus,button:focus,input:focus,select:focus,textarea:focus,[tabindex]:focus{"
    "outline:3px solid #c43e00;outline-offset:2px}\n"
    "header.site a:focus,header.site button:focus{outline-color:#ffbf47}\n"
    "button{font:inherit;background:#1f4e79;color:#fff;border:2px solid #1f4e79;"
    "border-radius:4px;padding:6px 14px;cursor:pointer}\n"
    "header.site button{background:#fff;color:#1f4e79;border-color:#fff}\n"
    "button.secondary{background:#fff;color:#1f4e79}\n"
    "label{display:block;font-weight:bold;margin:10px 0 4px}\n"
    "input,select,textarea{font:inherit;padding:6px 8px;border:2px solid #555;border-radius:4px;"
    "max-width:100%;background:#fff;color:#1b1b1b}\n"
    "textarea{width:100%;min-height:5em}\n"
    "input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#b3261e}\n"
    "form.stack{max-width:28em}form.stack button{margin-top:14px}\n"
    "form.filters{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:flex-end;"
    "background:#fff;border:1px solid #d7d9de;border-radius:6px;padding:10px 14px;"
    "margin:10px 0}\n"
    "form.filters label{margin-top:0}form.filters button{margin-bottom:2px}\n"
    "form.entry{background:#fff;border:1px solid #d7d9de;border-radius:6px;padding:12px 16px;"
    "margin:12px 0}\n"
    "form.entry fieldset{border:0;margin:0;padding:0;min-width:0;display:flex;flex-wrap:wrap;"
    "gap:0 16px}\nform.entry legend{font-weight:bold;font-size:17px;padding:0}\n"
    "form.entry .field{flex:1 1 10em;min-width:0}form.entry .wide{flex:1 1 100%}\n"
    "form.entry input{width:100%}form.entry button{margin-top:12px}\n"
    ".error,.field-error{color:#b3261e;font-weight:bold}\n"
    "p.error{background:#fdecea;border-left:6px solid #b3261e;padding:8px 12px}\n"
    ".field-error{margin:4px 0 0}\n"
    ".status{background:#e8f1e9;border-left:6px solid #2e7d32;padding:8px 12px}\n"
    ".warning{background:#fff4d6;border-left:6px solid #8a5a00;padding:8px 12px}\n"
    ".downloads{margin:6px 0 12px}.downloads a{margin-right:14px}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    ".scroll:focus{outline:3px solid #c43e00}\n"
    "table.plain{background:#fff}\ntable caption{text-align:left;font-weight:bold;"
    "padding:6px 0}\n"
    "ul.links{columns:2}@media (max-width:600px){ul.links{columns:1}}\n"
    "ul.links li{padding:3px 0}\n"
    ".report .cover{padding:6px 0}\n"
    "@media (max-width:600px){body{font-size:15px}main#main{padding:8px 10px}"
    "section{padding:12px}h1{font-size:22px}.att{grid-template-columns:1fr}"
    "nav ol{columns:1}}\n";

void page_css(struct req *r)
{
	r->raw = true;
	r->ctype = "text/css; charset=utf-8";
	fputs(render_html_css(), r->f);
	fputs(site_css, r->f);
}
