/* pages_update.c - the directorate's quarterly update (in progress). */
#include "web.h"

void page_update(struct req *r)
{
	page_message(r, 501, "Quarterly update", "Not yet.");
}
void page_update_value(struct req *r)
{
	page_update(r);
}
void page_update_commentary(struct req *r)
{
	page_update(r);
}
void page_update_intervention(struct req *r)
{
	page_update(r);
}
void page_update_risk(struct req *r)
{
	page_update(r);
}
