#!/usr/bin/env python3
"""Generate PMIF's illustrative demo data from the Gateshead framework.

Reads deploy/framework/gateshead.json and writes, next to this script:
  values.csv      one actual per measure, period (2019-20 to 2022-23 at the
                  measure's frequency) and locality (borough, plus the four
                  strategic localities where the measure is by_locality)
  narrative.json  commentary, case studies, intervention updates, risks,
                  resources and committee actions for the demo

Everything produced is ILLUSTRATIVE: plausible for a metropolitan borough of
about 200,000 people, but not Gateshead's real performance.  The output is
deterministic (fixed random seed, standard library only), so running the
script again reproduces the committed files byte for byte.

    python3 deploy/demo/generate.py [--framework FILE] [--out DIR] [--check]

--check regenerates into memory and fails if the committed files differ or
if a consistency check fails (every red value has a note, numerators and
denominators match their values, percentages in 0-100, counts whole).
"""

import argparse
import csv
import io
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FRAMEWORK = os.path.join(HERE, "..", "framework", "gateshead.json")
SEED = 20230331                        # fixed: same output on every run
YEARS = ["2019-20", "2020-21", "2021-22", "2022-23"]
LOCALITIES = ["birtley", "chopwell", "central", "felling"]

# Resident population by locality in 2019-20 (illustrative split of ~201,000),
# growing slowly; age bands as shares of the whole population.
POP_2019 = {"birtley": 42100, "chopwell": 55600, "central": 54800, "felling": 48500}
POP_GROWTH = 0.0015
AGE_SHARE = {"all": 1.0, "11-19": 0.102, "16-64": 0.625, "under16": 0.176}

# Relative deprivation of each locality (0 = borough average after centring):
# Central most deprived, then Felling & East, Birtley & South, and the West,
# where affluent Whickham and Ryton outweigh Chopwell.
DEPRIVATION = {"birtley": 0.2, "chopwell": -0.6, "central": 1.0, "felling": 0.5}


# --------------------------------------------------------------------------
# Per-measure simulation settings.
#   levels   underlying borough level in each year 2019-20..2022-23 (the
#            quarterly path is interpolated between mid-years unless step)
#   season   additive offset for Q1..Q4 (halves use the mean of their two)
#   sd       borough noise (standard deviation, in the measure's unit)
#   bump     {period: additive offset} one-off events
#   hold_first flat 2019-20, then the 2020-21 (pandemic) level from April 2020
#   binomial False for stock measures (a snapshot of a slowly changing
#            population, e.g. schools' grades): no sampling noise on numerators
#   explicit exact borough values, one per period (SPC demonstration series)
#   dep      locality effect per unit of deprivation (in the unit)
#   lsd      extra locality noise (sd)
#   den      denominators: {"kind": "count", "levels": [...], "season": [...],
#            "dep": share tilt, "fixed": {loc: n}} or {"kind": "pop", "age": band}
#   share    (counts by locality) tilt of each locality's share by deprivation
# --------------------------------------------------------------------------
SIM = {
    "FSM-UPTAKE": dict(hold_first=True, levels=[78.3, 80.5, 82.6, 83.4], season=[0, -0.4, 0.6, -0.2], sd=0.5,
                       dep=2.5, lsd=0.8,
                       den=dict(kind="count", levels=[8200, 9300, 10100, 10600], dep=0.6)),
    "SCHOOLS-GOOD-OUTST": dict(binomial=False, levels=[89.4, 89.8, 90.9, 92.0], sd=0.6, dep=-4.0, lsd=2.0,
                               den=dict(kind="count", fixed={"birtley": 15, "chopwell": 27,
                                                             "central": 24, "felling": 22})),
    "LAC-NUMBER": dict(hold_first=True, levels=[425, 441, 452, 432], sd=4, share=0.8),
    "EARLY-ED-2YO": dict(hold_first=True, levels=[81.5, 74.0, 80.8, 84.2], season=[-1.0, 0.5, 1.0, -0.5], sd=0.6,
                         dep=-2.0, lsd=1.0, bump={"2020-21-Q1": -6.0},
                         den=dict(kind="count", levels=[880, 760, 820, 850], dep=0.8)),
    "PERM-EXCLUSIONS": dict(levels=[9, 5, 8, 10], season=[1, -3, 2, 0], sd=1.5,
                            bump={"2020-21-Q1": -3}),
    "CSC-REREFERRALS": dict(hold_first=True, levels=[21.8, 20.6, 20.1, 19.6], season=[0, 0.5, -0.3, 0.2], sd=0.5,
                            dep=1.5, lsd=0.8,
                            den=dict(kind="count", levels=[640, 610, 700, 720], dep=0.6)),
    "NEET-16-17": dict(hold_first=True, levels=[5.9, 6.2, 5.4, 5.1], season=[-0.3, 1.2, 0.2, -0.4], sd=0.15,
                       dep=1.5, lsd=0.3,
                       den=dict(kind="count", levels=[4280, 4310, 4390, 4450], dep=0.0)),
    "YOUTH-ATTEND-RATE": dict(hold_first=True, levels=[465, 225, 395, 452], season=[0, 15, -5, -10], sd=10,
                              dep=40, lsd=15,
                              bump={"2020-21-Q1": -150, "2020-21-Q2": -10, "2020-21-Q3": 40,
                                    "2020-21-Q4": -30},
                              den=dict(kind="pop", age="11-19")),
    "DA-INCIDENTS": dict(hold_first=True, levels=[7.6, 8.3, 8.1, 8.4], season=[0.3, 0.5, -0.1, -0.3], sd=0.12,
                         dep=2.5, lsd=0.25, den=dict(kind="pop", age="all")),
    "ASC-DIRECT-PAY": dict(binomial=False, levels=[24.6, 25.0, 26.0, 26.6], sd=0.25, dep=-1.0, lsd=0.6,
                           den=dict(kind="count", levels=[2950, 2900, 2870, 2890], dep=0.3)),
    "WELLBEING-SCORE": dict(hold_first=True, levels=[49.8, 48.4, 49.8, 50.2], sd=0.1, dep=-1.5, lsd=0.3),
    "EMPLOYMENT-RATE": dict(hold_first=True, levels=[73.1, 71.6, 72.4, 73.9], sd=0.35),
    "CLAIMANT-RATE": dict(explicit=[4.3, 4.4, 4.4, 4.6, 7.4, 7.6, 7.2, 7.0,
                                    6.4, 5.6, 5.0, 4.8, 4.6, 4.5, 4.4, 4.5],
                          dep=2.2, lsd=0.15, den=dict(kind="pop", age="16-64")),
    "INTO-WORK-1TO1": dict(hold_first=True, levels=[96, 62, 112, 128], season=[0, -8, 5, 3], sd=5,
                           bump={"2020-21-Q1": -25}),
    "ADULT-SKILLS-ENROL": dict(hold_first=True, levels=[1380, 1050, 1310, 1470], season=[-60, -260, 240, 80], sd=30,
                               bump={"2020-21-Q1": -250}),
    "LIVING-WAGE-JOBS": dict(levels=[80.1, 81.3, 80.6, 81.6], sd=0.1),
    "WELFARE-GAIN-GBP": dict(levels=[1240000, 1380000, 1330000, 1460000],
                             season=[-40000, 0, 30000, 10000], sd=45000),
    "CHILD-POVERTY": dict(binomial=False, levels=[22.1, 20.9, 22.4, 23.0], sd=0.1, dep=6.0, lsd=0.4,
                          den=dict(kind="pop", age="under16")),
    "FUNDED-30H-TAKEUP": dict(hold_first=True, levels=[90.2, 86.0, 90.8, 91.6], season=[0, -0.8, 0.5, 0.3], sd=0.3,
                              dep=-1.0, lsd=0.5, bump={"2020-21-Q1": -4.0},
                              den=dict(kind="count", levels=[2380, 2150, 2300, 2420], dep=-0.2)),
    "HARDSHIP-GRANTS": dict(hold_first=True, levels=[1450, 3900, 3200, 4800], season=[-200, -300, 400, 100], sd=100,
                            share=0.8),
    "REPAIRS-DAYS": dict(explicit=[11.6, 11.9, 11.4, 12.1, 11.2, 11.8, 11.5, 12.0,
                                   13.6, 14.1, 14.8, 14.4, 14.0, 13.7, 13.9, 13.2],
                         dep=1.0, lsd=0.4),
    "DECENT-HOMES": dict(binomial=False, levels=[94.8, 94.2, 93.5, 93.9], sd=0.15, dep=-1.5, lsd=0.4,
                         den=dict(kind="count", fixed={"birtley": 3900, "chopwell": 4600,
                                                       "central": 5700, "felling": 4800},
                                  shrink=0.004)),
    "NEW-HOMES": dict(levels=[486, 392, 455, 471], sd=0),
    "FLY-TIPPING-RATE": dict(hold_first=True, levels=[5.6, 6.6, 5.9, 5.4], season=[0.5, 0.4, -0.3, -0.6], sd=0.08,
                             dep=2.5, lsd=0.15, den=dict(kind="pop", age="all")),
    "RECYCLING-RATE": dict(levels=[35.2, 33.0, 35.8, 36.4], season=[3.5, 2.5, -2.5, -3.5], sd=0.4,
                           den=dict(kind="count", levels=[21000, 23500, 22000, 21300],
                                    season=[1500, 1000, -500, -2000])),
    "CO2-REDUCTION": dict(levels=[30.5, 41.0, 38.5, 45.3], sd=0),
    "ASB-RATE": dict(hold_first=True, levels=[8.4, 8.6, 8.2, 7.9], season=[0.4, 0.5, -0.2, -0.7], sd=0.1,
                     bump={"2020-21-Q1": 6.0}, dep=3.0, lsd=0.2, den=dict(kind="pop", age="all")),
    "SMOKING-PREV": dict(levels=[15.6, 14.1, 13.4, 13.9], sd=0),
    "HEALTH-CHECKS": dict(hold_first=True, levels=[47.5, 20.0, 38.0, 46.0], season=[0, -1.5, 1.0, 0.5], sd=1.0,
                          dep=-4.0, lsd=1.5, bump={"2019-20-Q4": -6.0, "2020-21-Q1": -15.0},
                          den=dict(kind="count", levels=[3100, 1300, 2600, 3000], dep=0.0,
                                   bump={"2020-21-Q1": -1100})),
    "HOMELESS-PREVENT": dict(hold_first=True, levels=[63.0, 60.5, 64.0, 64.5], sd=0.8, dep=-2.0, lsd=1.2,
                             den=dict(kind="count", levels=[410, 380, 430, 470], dep=0.7)),
    "TEMP-ACCOM": dict(hold_first=True, levels=[38, 50, 40, 49], season=[0, 1, 2, 3], sd=1.5),
    "REABLEMENT-91": dict(hold_first=True, levels=[84.3, 81.0, 83.5, 85.2], sd=0.6, dep=-1.5, lsd=0.8,
                          den=dict(kind="count", levels=[240, 225, 250, 260], dep=0.3)),
    "STAFF-LEAVERS": dict(explicit=[64, 70, 61, 66, 48, 55, 52, 57,
                                    68, 71, 76, 78, 82, 79, 74, 77]),
    "SICKNESS-DAYS": dict(explicit=[10.6, 10.7, 10.9, 11.2, 10.1, 9.4, 9.0, 8.7,
                                    9.1, 9.6, 10.2, 10.9, 11.4, 11.8, 12.1, 12.3]),
    "STAFF-APPRAISALS": dict(hold_first=True, binomial=False, levels=[71.0, 58.0, 74.0, 82.0], sd=0.8,
                             den=dict(kind="count", levels=[4950, 4900, 4870, 4820])),
    "COMPLAINTS-ON-TIME": dict(explicit=[80.6, 81.9, 79.8, 81.2, 80.3, 82.0, 80.9, 81.5,
                                         87.4, 88.6, 87.9, 89.1, 88.3, 89.4, 88.0, 88.8],
                               den=dict(kind="count", levels=[610, 560, 640, 660])),
    "DIGITAL-SELF-SERVE": dict(explicit=[46.0, 46.8, 46.3, 47.5, 53.2, 54.8, 56.0, 57.4,
                                         58.1, 59.5, 60.2, 61.6, 62.3, 63.9, 64.6, 65.8],
                               den=dict(kind="count", levels=[94000, 101000, 97000, 99000],
                                        season=[0, -3000, 1000, 4000])),
    "CALLS-ANSWERED": dict(hold_first=True, levels=[89.6, 89.2, 89.8, 89.9], season=[0.0, -0.3, 0.3, -0.4], sd=0.5,
                           den=dict(kind="count", levels=[76000, 82000, 71000, 68000],
                                    season=[0, -2000, -4000, 6000])),
    "CTAX-COLLECTION": dict(levels=[96.1, 94.9, 95.6, 95.8], sd=0),
    "INVOICES-30DAYS": dict(hold_first=True, levels=[94.2, 94.0, 94.3, 94.3], sd=0.45,
                            den=dict(kind="count", levels=[24000, 22500, 24800, 25300])),
    "FOI-ON-TIME": dict(hold_first=True, levels=[87.5, 82.0, 88.5, 89.4], sd=1.2,
                        den=dict(kind="count", levels=[330, 290, 360, 380])),
    "CQC-GOOD-OUTST": dict(binomial=False, levels=[83.5, 84.8, 85.3, 84.0], sd=0.4, dep=-3.0, lsd=1.0,
                           den=dict(kind="count", fixed={"birtley": 22, "chopwell": 31,
                                                         "central": 34, "felling": 28})),
    "LGSCO-UPHELD": dict(levels=[14, 9, 13, 15], sd=0),
}

# --------------------------------------------------------------------------
# Notes.  "red" explains a value worse than target beyond tolerance; "covid"
# replaces it in 2020-21; "period" gives notes for particular periods (used on
# any value in that period, red or not); "loc" explains a locality's value;
# "spc" explains special cause variation that is not red.
# --------------------------------------------------------------------------
NOTES = {
    "FSM-UPTAKE": dict(
        spc="Take-up has risen since 2019-20, so earlier quarters sit below the current average; no data issue.",
        red="Take-up below target: eligible pupils not taking a meal are concentrated in schools without an on-site kitchen; auto-enrolment being piloted with those schools.",
        loc={"chopwell": "Lower take-up in rural western primaries where meals are transported in; auto-enrolment and taster days under way with the schools concerned."}),
    "SCHOOLS-GOOD-OUTST": dict(
        red="Below target after recent inspections moved schools from good to requires improvement; school improvement partners allocated and monitoring visits booked.",
        loc={"central": "Two Central primaries judged requires improvement at their last inspection; both have an agreed improvement plan and local authority adviser support."}),
    "EARLY-ED-2YO": dict(
        covid="Covid-19: settings closed to most children from March 2020 and parents were reluctant to take up places on reopening; outreach calls to every eligible family.",
        red="Take-up below target: DWP eligibility lists arrived late in the term; family hub outreach contacting families who have not yet taken up a place."),
    "PERM-EXCLUSIONS": dict(
        red="Exclusions above target, reflecting the national post-pandemic rise and a small number of secondary schools; inclusion panel and managed moves being strengthened with heads.",
        covid="Higher than target despite partial school closures; each case reviewed by the inclusion panel."),
    "CSC-REREFERRALS": dict(
        red="Re-referrals above target: audit of cases closed without a step-down to Early Help under way.",
        loc={"central": "Higher re-referral rate in Central, where demand is highest; audit of step-down practice in the Central social work teams."}),
    "NEET-16-17": dict(
        red="Seasonal rise: September destinations for the new Year 12 cohort are still being confirmed, so 'not known' is high until the October tracking exercise.",
        loc={"central": "Higher NEET in Central Gateshead; targeted careers advisers and the youth employment hub are working with young people not yet placed."}),
    "YOUTH-ATTEND-RATE": dict(
        covid="Covid-19: face-to-face youth sessions suspended or limited by restrictions; detached youth work and online sessions continued.",
        red="Attendance below target while sessions rebuild after the pandemic and two youth venues were closed for refurbishment.",
        period={"2020-21-Q1": "Covid-19 lockdown: all building-based youth sessions suspended from March 2020; online and detached sessions only."}),
    "LAC-NUMBER": dict(
        spc="Change outside the usual range reviewed at the Children in Care Strategy board; reflects sibling groups entering or leaving care together."),
    "DA-INCIDENTS": dict(
        spc="Reporting outside the usual range; rises followed lockdowns and partnership awareness campaigns, and are read as confidence to report as well as need."),
    "HARDSHIP-GRANTS": dict(
        spc="Change reflects the grant schemes available rather than need alone: Covid Winter Grant from December 2020, Household Support Fund from October 2021, energy support from 2022."),
    "ASC-DIRECT-PAY": dict(
        spc="Direct payment use has risen steadily, so earlier quarters sit below the current average; no data issue.",
        red="Direct payment uptake below target: shortage of personal assistants makes direct payments harder to use; PA recruitment campaign with the Independent Living team."),
    "WELLBEING-SCORE": dict(
        covid="Covid-19: wellbeing fell across the country during lockdowns; Gateshead's fall was similar to the regional average.",
        red="Wellbeing has not yet recovered to target after the pandemic; cost of living pressure reported by respondents."),
    "EMPLOYMENT-RATE": dict(
        covid="Covid-19: employment fell as the pandemic hit hospitality, retail and the visitor economy; furlough held up the figure.",
        red="Below target; the Annual Population Survey estimate has a margin of error of about 3 points for Gateshead, and the claimant count shows a steadier recovery."),
    "CLAIMANT-RATE": dict(
        covid="Covid-19: claimant count rose sharply from April 2020 as people lost work and Universal Credit conditions changed.",
        red="Claimant rate above target while the labour market recovers from the pandemic; employment support focused on the longest-term claimants.",
        loc={"central": "Claimant rate highest in Central Gateshead, where more residents worked in hospitality and retail; locality employment advisers based at the Central hub."}),
    "INTO-WORK-1TO1": dict(
        covid="Covid-19: face-to-face support suspended and few vacancies in the sectors our clients usually enter.",
        red="Fewer job starts than planned: adviser vacancies for part of the quarter; two posts filled since."),
    "ADULT-SKILLS-ENROL": dict(
        covid="Covid-19: classroom courses suspended; a reduced online programme ran.",
        red="Seasonal: few courses run in July and August, and enrolments for the autumn term fall in Q3; the annual total is on track."),
    "LIVING-WAGE-JOBS": dict(red="Below target; low pay concentrated in hospitality and care, where Real Living Wage accreditation is being promoted with employers."),
    "WELFARE-GAIN-GBP": dict(
        red="Gains below target: advice capacity reduced by two vacancies and more complex debt cases taking longer to resolve."),
    "CHILD-POVERTY": dict(
        red="Child poverty above target as the cost of living crisis and the end of the Universal Credit uplift reduced family incomes; the council cannot move this alone, so it is reported with partners.",
        loc={"central": "Child poverty highest in Central Gateshead; family hubs and the welfare rights service are prioritising families with children there.",
             "felling": "Above target in Felling & East; welfare rights outreach at the family hub and schools."}),
    "FUNDED-30H-TAKEUP": dict(
        red="Take-up below target as parents' working patterns changed after the pandemic; the childcare sufficiency team is contacting families with unused codes.",
        covid="Covid-19: childcare settings closed to most children and parents on furlough delayed taking up places."),
    "REPAIRS-DAYS": dict(
        red="Repairs backlog: shortage of trades staff and the post-pandemic backlog mean routine repairs take longer; Housing Improvement Plan review in place, recruitment of trades and use of contractors to clear the backlog.",
        loc={"central": "Longest waits in Central Gateshead, where the older housing stock needs more multi-trade repairs; additional contractor team deployed."}),
    "DECENT-HOMES": dict(
        red="Below target: the new stock condition survey identified more homes failing on kitchens, bathrooms and heating than previously recorded; programme agreed with the Regulator of Social Housing.",
        covid="Covid-19: planned works inside tenants' homes paused for much of the year, so fewer failing elements were replaced."),
    "NEW-HOMES": dict(covid="Covid-19: construction sites closed in spring 2020 and completions slipped into 2021-22."),
    "FLY-TIPPING-RATE": dict(
        covid="Covid-19: household waste and recycling centres closed in spring 2020 and fly-tipping rose across the region.",
        red="Seasonal summer peak in fly-tipping; enforcement patrols and CCTV deployed at hotspots.",
        loc={"central": "Highest rate in Central Gateshead, where back lanes in terraced streets are targeted; back-lane clean-ups and enforcement with the Central locality team.",
             "felling": "Above target in Felling & East; hotspot CCTV and resident clean-up days arranged with councillors."}),
    "RECYCLING-RATE": dict(
        red="Seasonal: garden waste collections pause from December to February, so the winter recycling rate is lower; the annual rate is the better guide.",
        covid="Covid-19: kerbside recycling suspended for several weeks and more residual waste from households at home."),
    "CO2-REDUCTION": dict(red="Emissions rebounded as buildings reopened after the pandemic; the building decarbonisation programme is behind schedule because of grant timing."),
    "ASB-RATE": dict(
        period={"2020-21-Q1": "Covid-19: reports of breaches of lockdown restrictions were logged as anti-social behaviour in the first lockdown, producing a one-off spike."},
        red="ASB above target; summer peak around open spaces; joint patrols with Northumbria Police.",
        loc={"central": "Highest ASB rate in Central Gateshead and the town centre; multi-agency problem-solving group and additional patrols.",
             "felling": "Above target in Felling & East; problem-solving group with Northumbria Police focused on two estates."}),
    "HEALTH-CHECKS": dict(
        covid="Covid-19: NHS Health Checks paused nationally from March 2020 and restarted in stages as practices resumed routine work.",
        period={"2020-21-Q1": "Covid-19: NHS Health Checks paused nationally from March 2020; only a handful of checks completed in the quarter."},
        red="Fewer checks completed than offered: GP practice capacity; outreach checks in community venues being commissioned."),
    "HOMELESS-PREVENT": dict(
        covid="Covid-19: the evictions ban and 'Everyone In' changed the mix of cases, with more people needing relief rather than prevention.",
        red="Fewer cases prevented or relieved: shortage of affordable private rented homes for move-on; landlord incentive scheme launched."),
    "TEMP-ACCOM": dict(
        covid="Covid-19: 'Everyone In' required everyone sleeping rough or at risk to be accommodated, increasing temporary accommodation use.",
        red="Above target: shortage of move-on accommodation and more households approaching as the cost of living rises; additional move-on lets agreed."),
    "REABLEMENT-91": dict(
        covid="Covid-19: more complex hospital discharges during the pandemic and a higher death rate among older people discharged.",
        red="Below target in a quarter with a more frail discharge cohort; each readmission reviewed with the hospital discharge team."),
    "STAFF-LEAVERS": dict(
        red="Leavers above target: recruitment and retention pressures, especially care staff and trades, as the labour market tightened; Workforce Strategy actions on pay, progression and flexible working under way."),
    "SICKNESS-DAYS": dict(
        red="Sickness above target and rising since 2021: mental health and musculoskeletal absence, plus Covid-19 and long Covid; wellbeing offer refreshed and managers trained in attendance management. Briefing note provided to Corporate Resources OSC."),
    "STAFF-APPRAISALS": dict(
        covid="Covid-19: appraisals paused while staff were redeployed to the pandemic response.",
        red="Appraisal completion below target; new simpler appraisal introduced with the Workforce Strategy."),
    "COMPLAINTS-ON-TIME": dict(
        spc="Before the April 2021 improvements (new case management system and central complaints team) performance ran below the current average.",
        period={"2021-22-Q1": "New complaints case management system and central complaints team from April 2021."}),
    "DIGITAL-SELF-SERVE": dict(
        spc="Before the move to digital accelerated in the pandemic, online self-service ran below the current average."),
    "INVOICES-30DAYS": dict(
        covid="Covid-19: invoice approval moved online while staff worked from home, with delays in the first months."),
    "CALLS-ANSWERED": dict(
        covid="Covid-19: contact centre also handled the community hub and shielding helpline, with longer calls."),
    "CTAX-COLLECTION": dict(covid="Covid-19: recovery action paused for most of the year and more households in financial difficulty; arrears being recovered in later years."),
    "FOI-ON-TIME": dict(
        covid="Covid-19: staff who answer requests were redeployed; the ICO relaxed enforcement during the pandemic.",
        red="Below target in a quarter with several large requests; weekly tracking of overdue requests introduced."),
    "CQC-GOOD-OUTST": dict(
        red="Below target after inspections of home care providers; commissioners supporting providers with improvement plans.",
        loc={"central": "Below target in Central, where two care homes were rated requires improvement; quality improvement support from commissioners."}),
    "LGSCO-UPHELD": dict(red="More complaints upheld, mainly on housing repairs delays; remedies applied and lessons shared with the service."),
}
GENERIC_RED = "Worse than target beyond tolerance; reviewed by the service and actions agreed at the directorate performance meeting."
GENERIC_SPC = "Unusual movement against this measure's recent history (special cause variation); figure checked and confirmed with the service."


def periods_for(freq):
    """The periods of a frequency, in order, as (period, year index, sub-index)."""
    out = []
    for j, y in enumerate(YEARS):
        if freq == "quarterly":
            out += [(f"{y}-Q{q}", j, q) for q in range(1, 5)]
        elif freq == "six-monthly":
            out += [(f"{y}-H{h}", j, h) for h in range(1, 3)]
        else:
            out.append((y, j, 0))
    return out


def time_of(freq, j, k):
    if freq == "quarterly":
        return j + (k - 0.5) / 4
    if freq == "six-monthly":
        return j + (k - 0.5) / 2
    return j + 0.5


def interp(levels, t, step=False, hold_first=False):
    """Level at time t (years from 1 April 2019) between year mid-points.
    step: the year's level all year.  hold_first: flat through 2019-20 and
    the first half of 2020-21 (a pandemic break in March 2020 rather than a
    slide through 2019-20), interpolated after that."""
    if step:
        return levels[min(int(t), len(levels) - 1)]
    if hold_first and t < 1.5:
        return levels[0] if t < 1 else levels[1]
    x = t - 0.5
    if x <= 0:
        return levels[0]
    if x >= len(levels) - 1:
        return levels[-1]
    i = int(x)
    f = x - i
    return levels[i] * (1 - f) + levels[i + 1] * f


def seasonal(season, freq, k):
    if not season:
        return 0.0
    if freq == "quarterly":
        return season[k - 1]
    if freq == "six-monthly":
        return (season[2 * k - 2] + season[2 * k - 1]) / 2
    return 0.0


def population(loc, j, age="all"):
    return POP_2019[loc] * (1 + POP_GROWTH) ** j * AGE_SHARE[age]


def centred_dep(weights):
    tot = sum(weights.values())
    mean = sum(DEPRIVATION[l] * w for l, w in weights.items()) / tot
    return {l: DEPRIVATION[l] - mean for l in LOCALITIES}


def fmt_value(x, dec):
    return f"{x:.{dec}f}"


def ratio_value(num, den, scale, dec):
    return round(scale * num / den, dec)


def avoid_tie(num, den, scale, dec):
    """Nudge num so scale*num/den is not exactly half-way between two
    representable values (C and Python round ties differently)."""
    while True:
        x = scale * num / den * 10 ** dec
        if abs(x - math.floor(x) - 0.5) > 1e-7:
            return num
        num += 1


def noisy_binomial(rng, den, p):
    """Successes out of den at probability p, with binomial-sized noise."""
    p = min(max(p, 0.0), 1.0)
    sd = math.sqrt(max(den * p * (1 - p), 0.0))
    return int(min(max(round(den * p + rng.gauss(0, sd)), 0), den))


# --------------------------------------------------------------------------
# Value generation
# --------------------------------------------------------------------------

def base_series(m, sim, rng):
    """Underlying borough values, one per period (unrounded)."""
    freq = m["frequency"]
    ps = periods_for(freq)
    if "explicit" in sim:
        vals = sim["explicit"]
        assert len(vals) == len(ps), m["id"]
        return list(vals)
    out = []
    for p, j, k in ps:
        v = interp(sim["levels"], time_of(freq, j, k), sim.get("step", False), sim.get("hold_first", False))
        v += seasonal(sim.get("season"), freq, k)
        v += sim.get("bump", {}).get(p, 0.0)
        if sim.get("sd"):
            v += rng.gauss(0, sim["sd"])
        out.append(v)
    return out


def denominators(m, sim, rng, p, j, k):
    """Denominator per locality (by_locality) or for the borough."""
    d = sim["den"]
    if d["kind"] == "pop":
        if m["by_locality"]:
            return {l: int(round(population(l, j, d["age"]))) for l in LOCALITIES}
        return int(round(sum(population(l, j, d["age"]) for l in LOCALITIES)))
    if "fixed" in d:
        shrink = (1 - d.get("shrink", 0.0)) ** j
        return {l: int(round(n * shrink)) for l, n in d["fixed"].items()}
    total = interp(d["levels"], time_of(m["frequency"], j, k))
    total += seasonal(d.get("season"), m["frequency"], k) + d.get("bump", {}).get(p, 0)
    total *= 1 + rng.gauss(0, 0.02)
    if not m["by_locality"]:
        return max(int(round(total)), 1)
    w = {l: POP_2019[l] * (1 + d.get("dep", 0.0) * DEPRIVATION[l]) for l in LOCALITIES}
    tw = sum(w.values())
    return {l: max(int(round(total * w[l] / tw * (1 + rng.gauss(0, 0.03)))), 1) for l in LOCALITIES}


def clamp_unit(m, v):
    if m["unit"] == "percent":
        return min(max(v, 0.0), 100.0)
    if m["unit"] in ("count", "gbp", "days", "rate_per_1000", "score"):
        return max(v, 0.0)
    return v


def generate_values(fw, rng):
    """Rows of (measure, period, locality, value, num, den) in file order."""
    rows = []
    for m in fw["measures"]:
        sim = SIM[m["id"]]
        dec = m["decimals"]
        unit = m["unit"]
        base = base_series(m, sim, rng)
        explicit = "explicit" in sim
        for (p, j, k), b in zip(periods_for(m["frequency"]), base):
            b = clamp_unit(m, b)
            per = []  # (locality, value, num, den)
            if unit in ("percent", "rate_per_1000") and "den" in sim:
                scale = 100.0 if unit == "percent" else 1000.0
                dens = denominators(m, sim, rng, p, j, k)
                if m["by_locality"]:
                    dep = centred_dep(dens)
                    nums = {}
                    for l in LOCALITIES:
                        x = clamp_unit(m, b + sim.get("dep", 0) * dep[l] + rng.gauss(0, sim.get("lsd", 0)))
                        if unit == "percent" and not sim.get("binomial", True):
                            n = int(round(x / 100 * dens[l]))
                        elif unit == "percent":
                            n = noisy_binomial(rng, dens[l], x / 100)
                        else:
                            lam = x * dens[l] / 1000
                            n = max(int(round(lam + rng.gauss(0, math.sqrt(max(lam, 1))))), 0)
                        nums[l] = avoid_tie(n, dens[l], scale, dec)
                    bn, bd = sum(nums.values()), sum(dens.values())
                    bn = avoid_tie(bn, bd, scale, dec)
                    per.append(("borough", ratio_value(bn, bd, scale, dec), bn, bd))
                    for l in LOCALITIES:
                        per.append((l, ratio_value(nums[l], dens[l], scale, dec), nums[l], dens[l]))
                else:
                    bd = dens
                    if explicit or not sim.get("binomial", True):
                        bn = int(round(b * bd / scale))
                    elif unit == "percent":
                        bn = noisy_binomial(rng, bd, b / 100)
                    else:
                        bn = int(round(b * bd / scale))
                    bn = avoid_tie(bn, bd, scale, dec)
                    per.append(("borough", ratio_value(bn, bd, scale, dec), bn, bd))
            elif unit == "count" and m["by_locality"]:
                total = max(int(round(b)), 0)
                w = {l: POP_2019[l] * (1 + sim.get("share", 0) * DEPRIVATION[l]) * (1 + rng.gauss(0, 0.04))
                     for l in LOCALITIES}
                tw = sum(w.values())
                counts = {l: int(round(total * w[l] / tw)) for l in LOCALITIES}
                per.append(("borough", sum(counts.values()), None, None))
                for l in LOCALITIES:
                    per.append((l, counts[l], None, None))
            else:
                bv = round(b, dec) if dec else int(round(b))
                per.append(("borough", bv, None, None))
                if m["by_locality"]:
                    dep = centred_dep(POP_2019)
                    for l in LOCALITIES:
                        x = clamp_unit(m, b + sim.get("dep", 0) * dep[l] + rng.gauss(0, sim.get("lsd", 0)))
                        per.append((l, round(x, dec) if dec else int(round(x)), None, None))
            for l, v, n, d in per:
                rows.append({"measure": m["id"], "period": p, "locality": l, "value": v,
                             "numerator": n, "denominator": d})
    return rows


# --------------------------------------------------------------------------
# RAG and statistical process control, used to decide which values need a note
# --------------------------------------------------------------------------

def year_of(period):
    return period[:7]


def rag(m, period, value):
    """'green', 'amber', 'red' or None (no target for the period)."""
    t = m["targets"].get(year_of(period)) if m["polarity"] != "none" else None
    if t is None:
        return None
    gap = (t - value) if m["polarity"] == "higher" else (value - t)
    if gap <= 1e-9:
        return "green"
    # "within this distance" is amber; treat the boundary as red as well so a
    # note is present whichever way the server reads it.
    return "amber" if gap < m["tolerance"] - 1e-9 else "red"


def spc_flags(values, polarity):
    """Indices flagged as special cause concern (any direction when polarity
    is none) under several common readings of the XmR rules: limits from the
    whole series, from the history including the point, and from the history
    before it.  Rules: beyond 3 sigma, 7 on one side, 6 rising or falling,
    2 of 3 beyond 2 sigma on the same side."""
    flagged = set()

    def concern(direction):
        if polarity == "none":
            return True
        return direction < 0 if polarity == "higher" else direction > 0

    def check(hist, idx_offset, only=None):
        n = len(hist)
        if n < 3:
            return
        mean = sum(hist) / n
        mr = [abs(hist[i] - hist[i - 1]) for i in range(1, n)]
        sigma = (sum(mr) / len(mr)) / 1.128 if mr else 0.0
        targets = range(n) if only is None else [only]
        for i in targets:
            x = hist[i]
            if sigma > 0 and abs(x - mean) > 3 * sigma and concern(x - mean):
                flagged.add(i + idx_offset)
            # runs of 7 on one side of the mean containing i
            for s in range(max(0, i - 6), min(i, n - 7) + 1):
                seg = hist[s:s + 7]
                if all(v > mean for v in seg) and concern(1):
                    flagged.add(i + idx_offset)
                if all(v < mean for v in seg) and concern(-1):
                    flagged.add(i + idx_offset)
            # 6 points rising or falling containing i
            for s in range(max(0, i - 5), min(i, n - 6) + 1):
                seg = hist[s:s + 6]
                if all(seg[q + 1] > seg[q] for q in range(5)) and concern(1):
                    flagged.add(i + idx_offset)
                if all(seg[q + 1] < seg[q] for q in range(5)) and concern(-1):
                    flagged.add(i + idx_offset)
            # 2 of 3 beyond 2 sigma, same side, containing i
            if sigma > 0:
                for s in range(max(0, i - 2), min(i, n - 3) + 1):
                    seg = hist[s:s + 3]
                    for side in (1, -1):
                        beyond = [v for v in seg if side * (v - mean) > 2 * sigma]
                        if len(beyond) >= 2 and concern(side) and side * (x - mean) > 2 * sigma:
                            flagged.add(i + idx_offset)

    check(values, 0)
    for i in range(len(values)):
        check(values[:i + 1], 0, only=i)           # history including the point
        if i >= 3:                                   # limits from the history before it
            hist = values[:i]
            n = len(hist)
            mean = sum(hist) / n
            mr = [abs(hist[q] - hist[q - 1]) for q in range(1, n)]
            sigma = (sum(mr) / len(mr)) / 1.128 if mr else 0.0
            x = values[i]
            if sigma > 0 and abs(x - mean) > 3 * sigma and concern(x - mean):
                flagged.add(i)
            # runs/trends ending at i judged against the earlier mean
            tail = values[max(0, i - 6):i + 1]
            if len(tail) == 7 and (all(v > mean for v in tail) and concern(1) or
                                   all(v < mean for v in tail) and concern(-1)):
                flagged.add(i)
    return flagged


def add_notes(fw, rows):
    measures = {m["id"]: m for m in fw["measures"]}
    series = {}
    for r in rows:
        series.setdefault((r["measure"], r["locality"]), []).append(r)
    for (mid, loc), rs in series.items():
        m = measures[mid]
        notes = NOTES.get(mid, {})
        flags = spc_flags([r["value"] for r in rs], m["polarity"])
        for i, r in enumerate(rs):
            text = notes.get("period", {}).get(r["period"], "")
            is_red = rag(m, r["period"], r["value"]) == "red"
            if is_red and not text:
                if year_of(r["period"]) == "2020-21" and "covid" in notes:
                    text = notes["covid"]
                elif loc in notes.get("loc", {}):
                    text = notes["loc"][loc]
                else:
                    text = notes.get("red", GENERIC_RED)
            if i in flags and not text:
                if "spc" in notes:
                    text = notes["spc"]
                elif year_of(r["period"]) == "2020-21" and "covid" in notes:
                    text = notes["covid"]
                else:
                    text = GENERIC_SPC
            r["note"] = text
    return rows


def write_values(rows, fw):
    measures = {m["id"]: m for m in fw["measures"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["measure", "period", "locality", "value", "numerator", "denominator", "note"])
    for r in rows:
        dec = measures[r["measure"]]["decimals"]
        w.writerow([r["measure"], r["period"], r["locality"], fmt_value(r["value"], dec),
                    "" if r["numerator"] is None else r["numerator"],
                    "" if r["denominator"] is None else r["denominator"],
                    r.get("note", "")])
    return buf.getvalue()


# --------------------------------------------------------------------------
# Narrative: commentary ("so what"), case studies, intervention updates,
# risks and resources.  Commentary placeholders are filled from the values:
#   {v:ID}        borough value in the commentary's period, with its unit
#   {v:ID@P}      ... in period P
#   {loc:ID:L}    value for locality L
#   {d:ID}        change on the previous period ("up from 81.2%")
#   {dy:ID}       change on the same period a year earlier
#   {t:ID}        the year's target;  {rag:ID} on target / within tolerance / off target
# Six-monthly measures are read at H1 in Q1-Q2 and H2 in Q3-Q4, annual ones
# at the year.
# --------------------------------------------------------------------------
Q22 = [f"2022-23-Q{q}" for q in range(1, 5)]

COMMENTARY = {
    "PO1": [
        "Free school meal take-up was {v:FSM-UPTAKE} in the summer term, {d:FSM-UPTAKE}, {rag:FSM-UPTAKE} (target {t:FSM-UPTAKE}); take-up is lowest in Chopwell & West ({loc:FSM-UPTAKE:chopwell}), where meals are transported into small rural schools. There were {v:LAC-NUMBER} looked-after children at the end of June, {dy:LAC-NUMBER}; this is context rather than a target, read alongside the Reducing the Number of Children in Care Strategy. Permanent exclusions ({v:PERM-EXCLUSIONS} in the quarter) are the concern for this objective, reflecting the national rise since the pandemic.",
        "The six-monthly Ofsted position shows {v:SCHOOLS-GOOD-OUTST} of schools judged good or outstanding, {rag:SCHOOLS-GOOD-OUTST}; Central Gateshead ({loc:SCHOOLS-GOOD-OUTST:central}) and Felling & East ({loc:SCHOOLS-GOOD-OUTST:felling}) are below the borough figure, and their schools judged requires improvement have improvement plans and adviser support. Exclusions were {v:PERM-EXCLUSIONS} in a quarter that includes the summer holiday, so the annual picture is the better guide. Take-up of funded places by eligible two-year-olds was {v:EARLY-ED-2YO}, {d:EARLY-ED-2YO}, as family hub outreach contacted every family on the DWP list.",
        "Re-referrals to children's social care were {v:CSC-REREFERRALS}, {rag:CSC-REREFERRALS}: the step-down audit found that families stepped down to Early Help are less likely to return, and that practice is being spread to all teams. Free school meal take-up was {v:FSM-UPTAKE}, {d:FSM-UPTAKE}; the auto-enrolment pilot in the West has been extended to six more schools. Looked-after children numbered {v:LAC-NUMBER}.",
        "The year closed with {v:LAC-NUMBER} looked-after children, {dy:LAC-NUMBER}, and {v:SCHOOLS-GOOD-OUTST} of schools good or outstanding. Permanent exclusions ({v:PERM-EXCLUSIONS} in the quarter) were above target for most of the year and are the main area for improvement in 2023-24; the inclusion panel now meets fortnightly with secondary heads. So what: early help and the children in care strategy are working, but the gap in outcomes between Central Gateshead and the rest of the borough has not closed.",
    ],
    "PO2": [
        "The proportion of 16-17 year olds NEET or not known was {v:NEET-16-17}, {rag:NEET-16-17}; Central Gateshead ({loc:NEET-16-17:central}) remains well above the borough. Attendances at youth provision were {v:YOUTH-ATTEND-RATE} young people aged 11-19, {dy:YOUTH-ATTEND-RATE}, the indicator added at the Families OSC's request. Domestic abuse reports ({v:DA-INCIDENTS}) are a context measure: more reporting after the partnership's awareness work is not in itself a bad sign.",
        "NEET and not known rose to {v:NEET-16-17} as it does every September while destinations for the new Year 12 cohort are confirmed; the October tracking exercise normally brings it back down. Direct payments are used by {v:ASC-DIRECT-PAY} of adults receiving long-term care, {rag:ASC-DIRECT-PAY}: the constraint is the supply of personal assistants rather than demand, and a PA recruitment campaign starts in October. Locality case working in Birtley continues to reach people who would not approach the council directly.",
        "NEET and not known fell back to {v:NEET-16-17} after tracking, {rag:NEET-16-17}. Youth attendance was {v:YOUTH-ATTEND-RATE}, {d:YOUTH-ATTEND-RATE}, with the holiday activities programme reaching more young people eligible for free school meals. Domestic abuse reports were {v:DA-INCIDENTS}, {dy:DA-INCIDENTS}; the Domestic Abuse Partnership is checking that support capacity in Central Gateshead keeps pace with reporting there.",
        "The residents survey gives an average wellbeing score of {v:WELLBEING-SCORE}, {dy:WELLBEING-SCORE} and {rag:WELLBEING-SCORE}; respondents most often mentioned the cost of living. Direct payments reached {v:ASC-DIRECT-PAY} of long-term care users. So what: young people's outcomes are recovering after the pandemic, but adult wellbeing and the supply of personal assistants need sustained attention in 2023-24.",
    ],
    "PO3": [
        "The claimant rate was {v:CLAIMANT-RATE}, {rag:CLAIMANT-RATE} and close to pre-pandemic levels; Central Gateshead ({loc:CLAIMANT-RATE:central}) is still well above the borough. The employment rate estimate was {v:EMPLOYMENT-RATE}; the survey has a wide margin of error at borough level, so we read it alongside the claimant count. {v:INTO-WORK-1TO1} residents started work after one-to-one support in their own locality.",
        "{v:INTO-WORK-1TO1} residents moved into work through locality employment support, {rag:INTO-WORK-1TO1} against a quarterly target of {t:INTO-WORK-1TO1}. Adult skills enrolments were {v:ADULT-SKILLS-ENROL}, the usual summer low, with autumn enrolments opening strongly. The Gateshead Quays arena and conference centre remains on site, with construction cost inflation the main risk.",
        "Adult skills enrolments were {v:ADULT-SKILLS-ENROL} in the autumn term, {dy:ADULT-SKILLS-ENROL}. The claimant rate was {v:CLAIMANT-RATE}, {d:CLAIMANT-RATE}. So what: the labour market has recovered in headline terms, but the gap between Central Gateshead and the West remains, which is why employment support is delivered in localities.",
        "The employment rate estimate for the year to March was {v:EMPLOYMENT-RATE}, {rag:EMPLOYMENT-RATE}; {v:INTO-WORK-1TO1} residents started work after one-to-one support in the quarter. The Green Economy and Digital Economy programmes of the Economic Strategy both have delivery plans for 2023-24. The claimant rate ended the year at {v:CLAIMANT-RATE}, {dy:CLAIMANT-RATE}.",
    ],
    "PO4": [
        "Welfare rights and advice partners secured {v:WELFARE-GAIN-GBP} of additional annual income for residents, {rag:WELFARE-GAIN-GBP}. {v:HARDSHIP-GRANTS} households received hardship grant support, {dy:HARDSHIP-GRANTS}, as the Household Support Fund reached families through schools and hubs. Take-up of 30-hours childcare codes was {v:FUNDED-30H-TAKEUP}, {rag:FUNDED-30H-TAKEUP}.",
        "Hardship grant awards were {v:HARDSHIP-GRANTS} households as energy prices increased; demand for debt advice is rising and cases are more complex. Advice gains were {v:WELFARE-GAIN-GBP}, {d:WELFARE-GAIN-GBP}. So what: the council's own levers are reaching more households, but the cost of living crisis is pulling more families into hardship than the interventions can offset.",
        "{v:HARDSHIP-GRANTS} households received hardship support in the quarter, with a winter focus on fuel and food. Welfare rights gains were {v:WELFARE-GAIN-GBP}, {d:WELFARE-GAIN-GBP}. Locality working is linking advice to the Birtley hub and the Chopwell pilot.",
        "Annual data show {v:CHILD-POVERTY} of children in relative low income families, {dy:CHILD-POVERTY} and {rag:CHILD-POVERTY}; Central Gateshead ({loc:CHILD-POVERTY:central}) is far above the West ({loc:CHILD-POVERTY:chopwell}). {v:LIVING-WAGE-JOBS} of employee jobs pay at least the Real Living Wage, {rag:LIVING-WAGE-JOBS}. So what: income maximisation is working for those it reaches, but child poverty is rising with the cost of living and needs a partnership response.",
    ],
    "PO5": [
        "Routine repairs took an average of {v:REPAIRS-DAYS} to complete, {rag:REPAIRS-DAYS} (target {t:REPAIRS-DAYS}); the backlog built up during and after the pandemic is being cleared with additional contractors while trades vacancies are filled. Fly-tipping was {v:FLY-TIPPING-RATE}, its usual summer peak, and highest in Central Gateshead's back lanes. Anti-social behaviour was {v:ASB-RATE}, {dy:ASB-RATE}.",
        "{v:DECENT-HOMES} of council homes met the Decent Homes Standard at the half-year, {rag:DECENT-HOMES}; the stock condition survey has given us a truer picture and the investment programme has been re-profiled with the Regulator of Social Housing. Repairs averaged {v:REPAIRS-DAYS}, {d:REPAIRS-DAYS}. Recycling was {v:RECYCLING-RATE} with garden waste collections running.",
        "Repairs averaged {v:REPAIRS-DAYS}; the chart shows a sustained shift since April 2021 rather than a bad quarter, which is why the Housing Improvement Plan is a Cabinet priority. Fly-tipping was {v:FLY-TIPPING-RATE}, {d:FLY-TIPPING-RATE}. Recycling was {v:RECYCLING-RATE} as garden waste collections ended for the winter.",
        "The year ended with {v:NEW-HOMES} net additional homes, {rag:NEW-HOMES}, and a {v:CO2-REDUCTION} reduction in the council's own emissions since 2018-19, {rag:CO2-REDUCTION}. Repairs averaged {v:REPAIRS-DAYS}, {d:REPAIRS-DAYS}, the first sign that the backlog plan is working, and {v:DECENT-HOMES} of homes met the Decent Homes Standard. So what: housing quality is the largest risk under this objective, and climate progress depends on the building decarbonisation programme catching up.",
    ],
    "PO6": [
        "{v:HOMELESS-PREVENT} of homelessness cases ended with homelessness prevented or relieved, {rag:HOMELESS-PREVENT}; {v:TEMP-ACCOM} households were in temporary accommodation at the end of June. NHS Health Check uptake was {v:HEALTH-CHECKS}, {dy:HEALTH-CHECKS}, as the programme recovers from the pandemic pause. Reablement kept {v:REABLEMENT-91} of older people at home 91 days after discharge.",
        "Temporary accommodation use was {v:TEMP-ACCOM} households, {rag:TEMP-ACCOM}, as more families approach us with rent arrears and move-on accommodation is scarce. Reablement: {v:REABLEMENT-91} still at home after 91 days, {d:REABLEMENT-91}. The Health and Wellbeing Review has been agreed by the Health and Wellbeing Board.",
        "NHS Health Check uptake was {v:HEALTH-CHECKS}, {dy:HEALTH-CHECKS}, with outreach checks in community venues in Central and Felling & East. Homelessness was prevented or relieved in {v:HOMELESS-PREVENT} of cases. So what: prevention programmes are back to pre-pandemic reach, but housing pressure is the main threat to this objective this winter.",
        "Adult smoking prevalence was {v:SMOKING-PREV} for the year, {rag:SMOKING-PREV}; {v:TEMP-ACCOM} households were in temporary accommodation at year end, {rag:TEMP-ACCOM}. Reablement ended the year at {v:REABLEMENT-91}. So what: the lessons of the pandemic on community-based approaches are built into the Health and Wellbeing Review, but inequalities between localities remain wide.",
    ],
    "BS-EMP": [
        "{v:STAFF-LEAVERS} employees left the council in the quarter, {rag:STAFF-LEAVERS}, continuing the rise seen through 2021-22 when 293 people left; care staff and trades are the hardest posts to fill. Sickness absence was {v:SICKNESS-DAYS} per FTE over the last 12 months, {rag:SICKNESS-DAYS}.",
        "Sickness absence rose again to {v:SICKNESS-DAYS} per FTE; the chart shows a rise every quarter since early 2021, a change in the system rather than normal variation, driven by mental health and musculoskeletal absence. {v:STAFF-APPRAISALS} of employees had an appraisal in the last 12 months, {rag:STAFF-APPRAISALS}. The Workforce Strategy's recruitment and retention actions are being prioritised.",
        "Leavers were {v:STAFF-LEAVERS}, {d:STAFF-LEAVERS}, and still {rag:STAFF-LEAVERS}. Sickness absence was {v:SICKNESS-DAYS}; the refreshed wellbeing offer and attendance management training for managers start in January.",
        "The year ended with sickness at {v:SICKNESS-DAYS} per FTE and {v:STAFF-APPRAISALS} of employees appraised. So what: the workforce is under strain; sickness and turnover are both above target and are the council's main organisational health risk for 2023-24, as the Corporate Resources OSC highlighted.",
    ],
    "BS-CX": [
        "{v:COMPLAINTS-ON-TIME} of stage 1 complaints were answered within 10 working days, {rag:COMPLAINTS-ON-TIME}; the chart shows a clear step up since the new case management system and central complaints team arrived in April 2021. {v:DIGITAL-SELF-SERVE} of transactions were completed online.",
        "Online self-service reached {v:DIGITAL-SELF-SERVE}, {dy:DIGITAL-SELF-SERVE}: the shift to digital continues quarter on quarter. The contact centre answered {v:CALLS-ANSWERED} of calls, so people who cannot or prefer not to go online can still reach us.",
        "Complaints answered on time: {v:COMPLAINTS-ON-TIME}. Calls answered: {v:CALLS-ANSWERED}, {d:CALLS-ANSWERED}, within normal variation. So what: digital growth has not come at the cost of telephone access.",
        "The contact centre answered {v:CALLS-ANSWERED} of calls in a quarter that includes council tax billing and energy rebate queries. Online self-service ended the year at {v:DIGITAL-SELF-SERVE}, {rag:DIGITAL-SELF-SERVE}, and complaints on time at {v:COMPLAINTS-ON-TIME}. So what: customers are choosing digital channels and the complaints improvement has held for two years.",
    ],
    "BS-FGR": [
        "{v:INVOICES-30DAYS} of undisputed invoices were paid within 30 days, {rag:INVOICES-30DAYS}; prompt payment matters to local suppliers under Community Wealth Building. {v:FOI-ON-TIME} of FOI and EIR requests were answered within 20 working days, {rag:FOI-ON-TIME}.",
        "Invoice payment was {v:INVOICES-30DAYS}, within its usual range. FOI timeliness was {v:FOI-ON-TIME}, {rag:FOI-ON-TIME}. Forecast pressures on children's placements and energy costs are shown in the resources section against each objective.",
        "FOI timeliness was {v:FOI-ON-TIME}, {d:FOI-ON-TIME}; invoices paid on time {v:INVOICES-30DAYS}. So what: governance processes are stable; the financial risk lies in demand-led budgets, not in the council's transactional processes.",
        "Council tax collection for the year was {v:CTAX-COLLECTION}, {rag:CTAX-COLLECTION}, with arrears from the pandemic years still being recovered. Invoices paid within 30 days were {v:INVOICES-30DAYS}. The medium-term financial gap remains the highest-scored strategic risk.",
    ],
    "BS-EXT": [
        "No new external assessment data this quarter: CQC ratings are reported six-monthly and Ombudsman decisions annually. Two CQC inspections of home care providers took place and the reports are awaited.",
        "{v:CQC-GOOD-OUTST} of adult social care providers in Gateshead were rated good or outstanding by CQC at the half-year, {rag:CQC-GOOD-OUTST}; commissioners are supporting the providers rated requires improvement. Both home care providers inspected in the spring were rated good.",
        "CQC ratings are reported at the half-year and year end; {v:CQC-GOOD-OUTST@2022-23-H1} of providers were good or outstanding at September. The Ombudsman's annual review letter is expected in July.",
        "{v:CQC-GOOD-OUTST} of adult social care providers were good or outstanding at year end, {d:CQC-GOOD-OUTST}, and the Ombudsman upheld {v:LGSCO-UPHELD} complaints in the year, {rag:LGSCO-UPHELD}, mainly about housing repair delays. So what: external assessment confirms the repairs issue seen under PO5.",
    ],
}

CASE_STUDIES = [
    dict(id="CS-1", title="Birtley Hub as the 'middle man'", period="2021-22-Q4", objective="PO2",
         locality="birtley", measures=[],
         story="A man in his fifties who had lost his job and his tenancy came into Birtley Hub for a food parcel. He said he would never have rung the council. Hub staff and volunteers helped him claim the benefits he was entitled to, sort out rent arrears and a debt, and register with a GP, and worked with the housing team to find him a room in shared housing. Six months on he is volunteering at the hub. (Adapted from the case the Birtley Hub Manager presented at the 2021-22 year-end review; details illustrative.)"),
    dict(id="CS-2", title="Free school meals without the form", period="2022-23-Q2", objective="PO1",
         locality="chopwell", measures=["FSM-UPTAKE"],
         story="A small primary school in the west of the borough had the lowest free school meal take-up in Gateshead: meals were transported in and some eligible families had never registered. The school used the council's eligibility checker to enrol families automatically, offered taster days for parents and changed the menu with the pupils. Take-up among eligible pupils at the school rose from 68% to 86% in two terms, and the approach has been extended to six more schools."),
    dict(id="CS-3", title="Over £9,000 a year for a family in Felling", period="2022-23-Q3", objective="PO4",
         locality="felling", measures=["WELFARE-GAIN-GBP", "HARDSHIP-GRANTS"],
         story="A working mother of three was referred by her children's school after falling behind on energy bills. A welfare rights officer at the family hub found she was entitled to the childcare element of Universal Credit and to Council Tax Support, helped her challenge a disability benefit decision for her son, and arranged a Household Support Fund payment for the winter. The family is better off by more than £9,000 a year and is now repaying its energy debt at a rate it can afford."),
    dict(id="CS-4", title="Home from hospital and staying home", period="2022-23-Q4", objective="PO6",
         locality="central", measures=["REABLEMENT-91"],
         story="An 84-year-old woman from Bensham was discharged after a fall with a plan for a care home. The reablement team proposed six weeks of support at home instead: an occupational therapist rearranged her kitchen, a key safe and falls sensor were fitted, and carers visited twice a day, reducing as she regained confidence. Three months later she is living independently with a weekly visit from a befriender found through a local community group."),
    dict(id="CS-5", title="From apprentice to service manager", period="2022-23-Q1", objective="BS-EMP",
         measures=["STAFF-LEAVERS"],
         story="A joiner who joined the council as an apprentice now manages a repairs and maintenance service. His story is used in the Workforce Strategy's recruitment campaign for trades, with Gateshead College and local schools, because the council has found that trades rarely apply through regional jobs websites and that young people do not see the career progression the council can offer."),
    dict(id="CS-6", title="Back to work through the Central hub", period="2022-23-Q2", objective="PO3",
         locality="central", measures=["INTO-WORK-1TO1", "CLAIMANT-RATE"],
         story="A 24-year-old who had been out of work since the pandemic closed the restaurant he worked in met a locality employment adviser at the Central hub. Over eight weeks they worked on his confidence, a CV and a food hygiene certificate, and the adviser introduced him to an employer at Gateshead Quays through the local labour agreement. He started a permanent job in August and his adviser still checks in monthly."),
    dict(id="CS-7", title="Chopwell residents shape the second locality plan", period="2022-23-Q3", objective="PO5",
         locality="chopwell", measures=["FLY-TIPPING-RATE"],
         story="As the second locality pilot, Chopwell began with a community conversation rather than a council plan: ninety residents, community groups and ward councillors met in the community centre and agreed three priorities - transport to jobs and services, activities for young people and cleaner streets. Volunteers now run monthly clean-ups with council equipment, and the youth club reopened two evenings a week with a council youth worker."),
]

# Intervention updates for 2022-23: (status, text) for Q1..Q4.
O, A, F, C = "on-track", "at-risk", "off-track", "complete"
UPDATES = {
    "PO1-IN1": [(O, "Economic Strategy delivery plan for 2022-23 agreed; child poverty impact now considered in business cases for major projects."),
                (O, "Employment support for parents added to the locality offer in Birtley & South and Central Gateshead; 34 parents supported."),
                (O, "Family-friendly employment charter launched with 12 local employers."),
                (O, "Year-end review complete; 2023-24 actions focus on parents in Central Gateshead.")],
    "PO1-IN2": [(O, "Emotional wellbeing curriculum resources shared with all primary schools; 41 schools signed up to the Mental Health Support Teams offer."),
                (O, "Careers and skills programme for Years 8-10 agreed with secondary headteachers."),
                (A, "School improvement capacity diverted to schools judged requires improvement, delaying the curriculum review."),
                (O, "Curriculum review resumed; monitoring visits to the schools requiring improvement are positive.")],
    "PO1-IN3": [(O, "Family hubs open in all four localities; Early Help assessments up on the same quarter last year."),
                (O, "Audit of step-down from social care to Early Help complete: families stepped down are less likely to be re-referred."),
                (O, "Refreshed step-down protocol rolled out to all social work teams."),
                (O, "Early Help Strategy 2023-26 agreed with partners.")],
    "PO1-IN4": [(O, "Parenting programmes back to face-to-face delivery; 96 parents started a programme."),
                (A, "Two parenting practitioner posts vacant; 40 families waiting for a programme."),
                (A, "Both posts recruited, starting in January; waiting list managed with the commissioned provider."),
                (O, "Full team in place; waiting list cleared by March.")],
    "PO1-IN5": [(O, "Edge of care team working with 38 families; 31 children kept safely at home."),
                (A, "Placement sufficiency is the pressure: three children placed out of the area because no local placement was available."),
                (A, "Two new council children's homes approved; foster carer recruitment below target."),
                (O, "First new children's home registered with Ofsted; looked-after numbers lower than a year ago.")],
    "PO1-IN6": [(O, "Review of early years spend started; spend mapped by locality."),
                (O, "Review found spend not matched to need in Central Gateshead; options prepared."),
                (O, "Revised allocation agreed to move funding towards the most deprived areas from April 2023."),
                (C, "Revised early years allocation approved by Cabinet; in place from April 2023.")],
    "PO1-IN7": [(O, "Maternity and early years quality dashboard agreed with the Foundation Trust."),
                (O, "Breastfeeding peer support extended to Felling & East."),
                (O, "Childcare sufficiency assessment published; gaps for under-twos identified in the West."),
                (O, "Health visiting and family hub pathway aligned; joint quality review scheduled.")],
    "PO1-IN8": [(O, "Holiday activities and food programme reached 3,100 children over Easter."),
                (O, "Summer programme reached 5,400 children, 78% of them eligible for free school meals."),
                (O, "Young people's resilience toolkit co-produced with the Youth Assembly."),
                (O, "Winter programme delivered; participants report improved wellbeing.")],
    "PO2-IN1": [(O, "Mental health awareness training offered to community organisations; 120 people trained."),
                (O, "Suicide prevention plan refreshed with partners."),
                (O, "Wellbeing campaign on cost of living stress, with signposting in warm spaces."),
                (A, "Residents survey shows adult wellbeing still below the pre-pandemic level; campaign to be re-targeted.")],
    "PO2-IN2": [(O, "Personal, social and health education resources updated with a focus on mental wellbeing."),
                (O, "Work experience offer rebuilt with 60 employers."),
                (O, "Careers hubs linked to the Economic Strategy's growth sectors."),
                (O, "All secondary schools meet at least six of the eight Gatsby careers benchmarks.")],
    "PO2-IN3": [(O, "Youth employment hub opened in the town centre."),
                (O, "64% of Kickstart participants moved into sustained work or training."),
                (O, "Apprenticeship levy transfers funding 20 apprenticeships with small local employers."),
                (O, "Youth employment hub caseload of 410, a third from Central Gateshead.")],
    "PO2-IN4": [(O, "Research brief agreed with a university partner; fieldwork planned for the autumn."),
                (O, "Ethics approval granted and schools recruited."),
                (A, "Fieldwork delayed by a month because of school availability before Christmas."),
                (O, "Fieldwork complete in 14 schools; findings due in the summer.")],
    "PO2-IN5": [(O, "Social prescribing link workers aligned to the four localities."),
                (O, "Physical activity offer for people referred by GPs expanded in leisure centres."),
                (O, "Winter wellbeing offer delivered through warm spaces."),
                (O, "Referrals up on the year; evaluation commissioned.")],
    "PO2-IN6": [(O, "Scope of the Health and Wellbeing Review agreed by the Health and Wellbeing Board."),
                (O, "Engagement with partners and residents complete; 640 responses."),
                (O, "Draft findings considered by the Board."),
                (C, "Review complete and agreed; its actions continue under PO6-IN1.")],
    "PO2-IN7": [(O, "Locality case working at Birtley Hub supported 48 people, most of whom would not have contacted the council directly."),
                (O, "Strategic lead for the first locality (Birtley) appointed; anchor buildings confirmed."),
                (O, "Case working extended to the Chopwell pilot; 22 people supported."),
                (O, "Evaluation shows people are helped with several issues at once; model to extend to the other two localities in 2023-24.")],
    "PO2-IN8": [(O, "Community Conversation approach piloted in Birtley."),
                (O, "Residents survey fieldwork complete; 2,150 responses."),
                (A, "Chopwell community conversation delayed until the locality lead is in post."),
                (O, "Chopwell conversation held with 90 residents; results feed the locality plan.")],
    "PO2-IN9": [(O, "Domestic Abuse Act duties met: safe accommodation strategy in place."),
                (O, "Awareness campaign with partners; reports to police increased."),
                (O, "Additional independent domestic violence adviser funded for Central Gateshead."),
                (O, "Serious Violence Duty preparations on track with Northumbria Police and partners.")],
    "PO3-IN1": [(O, "Visitor Economy: events programme restored. Green Economy: green skills bootcamps launched. Digital Economy: digital inclusion hubs in libraries. Local Economy: anchor institutions procurement group set up."),
                (O, "Local Economy (Community Wealth Building): spend with Gateshead-based suppliers measured for the first time to set a baseline."),
                (A, "Green Economy: energy price rises delaying two employer-led decarbonisation projects."),
                (O, "Annual review complete: Digital Economy and Local Economy ahead of plan, Green Economy re-profiled.")],
    "PO3-IN2": [(O, "Arena and conference centre main contract progressing on site."),
                (A, "Construction cost inflation putting pressure on the budget; value engineering under way."),
                (A, "Revised cost plan prepared for Cabinet."),
                (O, "Cabinet agreed the revised plan; programme reset with the operator.")],
    "PO3-IN3": [(O, "First phase of town centre public realm works started."),
                (O, "Levelling Up Fund bid submitted."),
                (O, "Public realm phase 1 complete; footfall counters installed."),
                (O, "Next phase design agreed; developer engagement on housing sites.")],
    "PO3-IN4": [(O, "Employment advisers based at locality hubs in all four localities."),
                (A, "Two adviser vacancies reduced capacity during the quarter."),
                (O, "Vacancies filled; caseloads back to planned levels."),
                (O, "Job starts in line with plan; employer links through the Quays local labour agreement.")],
    "PO4-IN1": [(O, "Real Living Wage promoted through the Economic Strategy; five local employers accredited in the quarter."),
                (O, "Social value clauses in council contracts now include Real Living Wage commitments."),
                (O, "Visitor economy employers engaged on a fair work charter."),
                (O, "22 Gateshead employers now accredited Real Living Wage employers.")],
    "PO4-IN2": [(O, "Local labour clauses in the Quays construction contract: 38% of the workforce from Gateshead."),
                (A, "Cost pressures on the Quays scheme (see PO3-IN2) could affect the local jobs commitment."),
                (A, "Operator's plan to recruit Gateshead residents under discussion."),
                (O, "Local recruitment commitment kept in the revised plan.")],
    "PO4-IN3": [(O, "Affordable housing element of the town centre masterplan confirmed."),
                (O, "Support scheme for market traders launched."),
                (O, "Four empty units let to local enterprises for meanwhile uses."),
                (O, "Town centre vacancy rate lower than a year ago.")],
    "PO4-IN4": [(O, "Four strategic localities agreed, roughly mirroring the four PCN boundaries."),
                (O, "Birtley strategic lead in post; anchor buildings are Birtley Library, Birtley Hub and Wrekenton Community Centre."),
                (O, "Chopwell pilot started, with community groups and councillors shaping the plan."),
                (A, "Repairs and maintenance lead for the South delayed to September; roll-out across the borough expected to take 12 months.")],
    "PO4-IN5": [(O, "Household Support Fund open; applications through schools, hubs and advice partners."),
                (O, "Council Tax energy rebate paid to 94% of eligible households."),
                (O, "Next Household Support Fund round launched, prioritising winter fuel and food."),
                (C, "2022-23 grant funding fully committed by 31 March; 2023-24 scheme designed.")],
    "PO5-IN1": [(O, "Community small grants fund open; 31 groups supported."),
                (O, "Warm spaces network planned with community organisations."),
                (O, "42 warm spaces open across the four localities."),
                (O, "Locality working workstream: first locality plan (Birtley) drafted with residents.")],
    "PO5-IN2": [(O, "Housing delivery plan agreed; council new build under way on two sites."),
                (O, "Planning permission granted for 120 homes on a town centre site."),
                (A, "Construction cost increases affecting the viability of two affordable housing sites."),
                (O, "Net additional homes above the Local Plan requirement for the year.")],
    "PO5-IN3": [(O, "Social Housing Decarbonisation Fund works started on 180 council homes."),
                (O, "External wall insulation programme on schedule."),
                (A, "Supply chain delays for heat pumps."),
                (A, "160 of 180 homes complete; the rest slip into Q1 2023-24.")],
    "PO5-IN4": [(O, "Tree planting plan for 2022-23 agreed: 12 hectares."),
                (O, "Parks and open spaces investment plan agreed; play areas refurbished in Felling & East."),
                (O, "Winter planting started with volunteers from community groups."),
                (O, "11.5 hectares planted in the season, close to plan.")],
    "PO5-IN5": [(O, "Active travel schemes in design; 14 electric vans added to the fleet."),
                (O, "Consultation on the new cycle route complete."),
                (A, "Electric vehicle supply delays; fleet replacement re-profiled."),
                (O, "Cycle route construction started; 31% of small fleet vehicles now electric.")],
    "PO5-IN6": [(O, "Hybrid working policy adopted; office space review started."),
                (O, "Printing down 40% on 2019-20."),
                (O, "Digital signatures in use in all directorates."),
                (C, "Agile working programme complete; business mileage down by a third on pre-pandemic.")],
    "PO5-IN7": [(O, "Community Safety Partnership plan agreed; hotspot patrols in Central Gateshead."),
                (O, "Problem-solving groups running in Central and Felling & East."),
                (O, "Hate crime reporting centres refreshed."),
                (O, "Partnership review of the year: patrols and problem-solving groups to continue in 2023-24.")],
    "PO5-IN8": [(O, "Climate Change Action Plan progress report published."),
                (O, "Residents' panels on climate action held in two localities."),
                (A, "Building decarbonisation behind schedule because of grant timing."),
                (A, "Council emissions reduction short of the 2022-23 target; programme re-profiled.")],
    "PO5-IN9": [(O, "District energy scheme: mine water heat pump operational."),
                (O, "New connections to the town centre network."),
                (O, "District heating protected connected customers from part of the energy price rise."),
                (O, "Expansion of the network to the east of the town centre agreed.")],
    "PO5-IN10": [(O, "Bid submitted to a waste minimisation fund for a re-use shop."),
                 (O, "Recycling contamination campaign in Central Gateshead."),
                 (O, "Re-use shop opened at the household waste recycling centre."),
                 (O, "Contamination down in the campaign areas.")],
    "PO5-IN11": [(O, "Climate emergency criteria added to the procurement strategy."),
                 (O, "Carbon criteria used in all tenders above £100,000."),
                 (O, "Carbon reduction plans requested from suppliers on major contracts."),
                 (O, "Procurement strategy refreshed with climate and Community Wealth Building commitments.")],
    "PO6-IN1": [(O, "Scope and governance for implementation agreed."),
                (O, "Engagement with partners complete."),
                (O, "Action plan drafted with partners."),
                (O, "Action plan agreed by the Health and Wellbeing Board; implementation from April.")],
    "PO6-IN2": [(O, "NHS Health Checks restored in all practices; stop smoking service back to face-to-face."),
                (O, "Outreach health checks in community venues commissioned."),
                (O, "Tobacco control plan agreed; smoking in pregnancy support extended."),
                (A, "Adult smoking prevalence rose slightly; stop smoking service capacity under review.")],
    "PO6-IN3": [(O, "Community-based approaches built into the locality working model as a core principle."),
                (O, "Asset mapping with community organisations in Birtley."),
                (O, "Warm spaces used as community health contact points."),
                (O, "Approach evaluated in Birtley and being extended to Chopwell.")],
    "PO6-IN4": [(O, "Covid-19 lessons learned review drafted."),
                (C, "Lessons learned report agreed; actions assigned to owners."),
                (C, "Actions being delivered through other interventions."),
                (C, "All actions from the lessons learned report assigned and reported under other interventions.")],
    "PO6-IN5": [(O, "Health inequalities impact assessment included in the recovery plan."),
                (O, "Inequalities data by locality published in the JSNA."),
                (A, "Partner recovery plans use inequalities assessments inconsistently."),
                (O, "Health and Care Systems Board agreed a shared inequalities framework.")],
}

RISKS = [
    dict(id="R-01", title="Demand for children's placements and placement costs exceed the budget",
         objective="PO1", directorate="CAF",
         mitigation="Reducing the Number of Children in Care Strategy; edge of care team; two new council children's homes; foster carer recruitment; monthly placement panel.",
         owner="Strategic Director, Children, Adults and Families", target=(3, 4),
         lx=[(4, 4), (5, 4), (5, 4), (4, 4)]),
    dict(id="R-02", title="Unable to recruit and retain staff in hard-to-fill roles (social workers, carers, trades)",
         objective="BS-EMP", directorate="RD",
         mitigation="Workforce Strategy: recruitment and retention, progression routes, apprenticeships, work with Gateshead College and schools; market supplements for social workers.",
         owner="Service Director, Human Resources and Workforce Development", target=(3, 3),
         lx=[(4, 4), (4, 5), (5, 4), (4, 4)]),
    dict(id="R-03", title="Cost of living crisis increases hardship, debt and demand for council support",
         objective="PO4", directorate="RD",
         mitigation="Household Support Fund, welfare rights and debt advice, warm spaces, Council Tax Support scheme, partnership cost of living group.",
         owner="Strategic Director, Resources and Digital", target=(4, 3),
         lx=[(3, 4), (4, 4), (5, 4), (5, 4)]),
    dict(id="R-04", title="Council homes fail regulatory standards, leading to regulatory intervention",
         objective="PO5", directorate="HEHC",
         mitigation="Housing Improvement Plan; stock condition survey; compliance programme agreed with the Regulator of Social Housing; repairs backlog plan.",
         owner="Service Director, Housing and Neighbourhoods", target=(2, 4),
         lx=[(4, 4), (4, 5), (3, 5), (3, 4)]),
    dict(id="R-05", title="Medium-term funding gap cannot be closed without reducing services",
         objective="BS-FGR", directorate="RD",
         mitigation="Medium-Term Financial Strategy; priority-based budget approach linked to the PMIF; reserves strategy; lobbying on fair funding.",
         owner="Strategic Director, Resources and Digital (Section 151 officer)", target=(3, 4),
         lx=[(4, 5), (4, 5), (5, 5), (4, 5)]),
    dict(id="R-06", title="Cyber attack disrupts services or compromises personal data",
         objective="BS-FGR", directorate="RD",
         mitigation="Patch management, multi-factor authentication, staff training, tested backups and incident response plan.",
         owner="Head of ICT and Digital", target=(2, 4),
         lx=[(3, 5), (3, 5), (4, 5), (3, 5)]),
    dict(id="R-07", title="Carbon neutral by 2030 not achieved because of funding and grid constraints",
         objective="PO5", directorate="EIG",
         mitigation="Climate Change Action Plan; district heating expansion; building decarbonisation programme; external funding bids.",
         owner="Service Director, Climate Change and Environment", target=(3, 3),
         lx=[(4, 3), (4, 3), (4, 4), (4, 4)]),
    dict(id="R-08", title="Health inequalities widen after the pandemic",
         objective="PO6", directorate="PHW",
         mitigation="Health and Wellbeing Review; inequalities impact assessment in partner recovery plans; locality-based prevention.",
         owner="Director of Public Health", target=(3, 3),
         lx=[(4, 4), (4, 4), (4, 5), (4, 4)]),
    dict(id="R-09", title="Adult social care provider failure or workforce shortages leave people without care",
         objective="PO6", directorate="CAF",
         mitigation="Provider sustainability payments; market position statement; care workforce recruitment campaign; contingency plans with providers.",
         owner="Director of Adult Social Care", target=(3, 4),
         lx=[(4, 4), (5, 4), (5, 4), (4, 4)]),
    dict(id="R-10", title="Gateshead Quays and town centre regeneration delayed by construction cost inflation",
         objective="PO3", directorate="EIG",
         mitigation="Value engineering; revised cost plan agreed by Cabinet; phasing of the town centre programme; external funding.",
         owner="Service Director, Major Projects", target=(2, 4),
         lx=[(3, 4), (4, 4), (4, 4), (3, 4)]),
    dict(id="R-11", title="Locality working does not achieve community ownership",
         objective="PO2", directorate="HEHC",
         mitigation="Bottom-up locality plans developed with councillors, community groups and residents; strategic leads; evaluation of the Birtley and Chopwell pilots.",
         owner="Service Director, Localities and Communities", target=(2, 2),
         lx=[(2, 3), (2, 3), (3, 3), (2, 3)]),
]

# Intervention plans: who manages each one and its milestones (due, and the
# day it was done or None).  As at the end of 2022-23 Q4 (31 March 2023) they
# show every slippage RAG: complete, green, amber (overdue up to 30 days),
# red (overdue more than 30 days).  Illustrative.
PLANS = [
    dict(intervention="PO1-IN1", owner="Service Director, Economy, Innovation and Growth",
         milestones=[("Economic Strategy delivery plan 2022-23 agreed", "2022-06-30", "2022-06-21"),
                     ("Family-friendly employment charter launched", "2022-12-31", "2022-12-08"),
                     ("Evaluation of the employment offer for parents", "2023-06-30", None)]),
    dict(intervention="PO1-IN2", owner="Service Director, Education, Schools and Inclusion",
         milestones=[("Skills curriculum framework shared with all secondary schools", "2022-09-30", "2022-10-14"),
                     ("Careers hub extended to every primary school", "2023-03-10", None)]),
    dict(intervention="PO2-IN1", owner="Director of Public Health",
         milestones=[("Emotional health and wellbeing needs assessment", "2022-07-31", "2022-07-29"),
                     ("Mental health support teams in 20 schools", "2023-01-31", None),
                     ("Suicide prevention action plan refreshed", "2023-09-30", None)]),
    dict(intervention="PO3-IN2", owner="Service Director, Major Projects",
         milestones=[("Conference and Exhibition Centre cost plan revised", "2022-09-30", "2022-11-18"),
                     ("Main contractor appointed", "2023-02-28", None)]),
    dict(intervention="PO5-IN2", owner="Service Director, Housing and Neighbourhoods",
         milestones=[("Stock condition survey commissioned", "2022-06-30", "2022-06-10"),
                     ("Housing Improvement Plan agreed by Cabinet", "2022-11-30", "2022-11-22"),
                     ("Compliance programme agreed with the Regulator", "2023-03-31", "2023-03-17")]),
    dict(intervention="PO6-IN1", owner="Director of Public Health",
         milestones=[("Health and Wellbeing Review scoped with partners", "2022-06-30", "2022-06-28"),
                     ("Review findings to the Health and Wellbeing Board", "2023-03-24", None),
                     ("Partner action plan", "2023-07-31", None)]),
]

# Net revenue budget by objective (illustrative, about £280m in total) and the
# spend ratio for 2020-21, 2021-22 and 2022-23.
RES_YEARS = ["2020-21", "2021-22", "2022-23"]
BUDGET_2020 = {"PO1": 61_800_000, "PO2": 17_900_000, "PO3": 6_400_000, "PO4": 9_100_000,
               "PO5": 47_600_000, "PO6": 71_900_000, "BS-EMP": 3_200_000, "BS-CX": 5_800_000,
               "BS-FGR": 14_100_000, "BS-EXT": 1_100_000}
BUDGET_GROWTH = [1.0, 1.031, 1.072]
SPEND_RATIO = {"PO1": [1.021, 1.034, 1.058], "PO2": [0.962, 0.991, 0.997], "PO3": [0.934, 0.978, 1.004],
               "PO4": [1.087, 1.012, 1.026], "PO5": [0.978, 1.017, 1.031], "PO6": [1.043, 1.022, 1.019],
               "BS-EMP": [0.951, 0.983, 1.008], "BS-CX": [1.012, 0.996, 0.988], "BS-FGR": [0.991, 0.985, 1.012],
               "BS-EXT": [0.972, 1.003, 0.994]}
INTERVENTION_BUDGETS = {  # intervention: [(budget, spend) per RES_YEARS]
    "PO1-IN5": [(24_600_000, 25_900_000), (25_800_000, 27_400_000), (27_300_000, 29_800_000)],
    "PO4-IN5": [(5_200_000, 5_150_000), (3_900_000, 3_890_000), (4_100_000, 4_096_000)],
    "PO5-IN3": [(2_400_000, 1_760_000), (3_800_000, 3_350_000), (4_600_000, 4_020_000)],
    "PO3-IN4": [(1_150_000, 980_000), (1_200_000, 1_170_000), (1_260_000, 1_255_000)],
    "PO6-IN2": [(6_300_000, 5_540_000), (6_450_000, 6_380_000), (6_600_000, 6_610_000)],
}


def fmt_unit(m, v):
    dec = m["decimals"]
    u = m["unit"]
    if u == "percent":
        return f"{v:.{dec}f}%"
    if u == "rate_per_1000":
        return f"{v:.{dec}f} per 1,000"
    if u == "days":
        return f"{v:.{dec}f} days"
    if u == "gbp":
        return f"£{v:,.{dec}f}"
    if u == "count":
        return f"{int(v):,}"
    return f"{v:.{dec}f}"


class Lookup:
    def __init__(self, fw, rows):
        self.m = {m["id"]: m for m in fw["measures"]}
        self.v = {(r["measure"], r["period"], r["locality"]): r["value"] for r in rows}
        self.order = {}
        for r in rows:
            if r["locality"] == "borough":
                self.order.setdefault(r["measure"], []).append(r["period"])

    def period_for(self, mid, quarter):
        f = self.m[mid]["frequency"]
        y, q = quarter[:7], int(quarter[-1])
        if f == "quarterly":
            return quarter
        if f == "six-monthly":
            return f"{y}-H{1 if q <= 2 else 2}"
        return y

    def get(self, mid, period, loc="borough"):
        return self.v[(mid, period, loc)]

    def prev(self, mid, period, lag=1):
        ps = self.order[mid]
        i = ps.index(period) - lag
        return ps[i] if i >= 0 else None

    def change(self, mid, period, lag, what):
        m = self.m[mid]
        p0 = self.prev(mid, period, lag)
        v, v0 = self.get(mid, period), self.get(mid, p0)
        if round(v, m["decimals"]) == round(v0, m["decimals"]):
            return f"unchanged from {what}"
        return f"{'up' if v > v0 else 'down'} from {fmt_unit(m, v0)} {what}"

    def rag_words(self, mid, period):
        m = self.m[mid]
        r = rag(m, period, self.get(mid, period))
        return {"green": "on target", "amber": "within tolerance of target",
                "red": "off target", None: "with no target"}[r]

    def fill(self, text, quarter):
        out, i = [], 0
        while True:
            j = text.find("{", i)
            if j < 0:
                out.append(text[i:])
                return "".join(out)
            k = text.index("}", j)
            out.append(text[i:j])
            parts = text[j + 1:k].split(":")
            kind, mid = parts[0], parts[1]
            period = None
            if "@" in mid:
                mid, period = mid.split("@")
            m = self.m[mid]
            period = period or self.period_for(mid, quarter)
            per_year = {"quarterly": 4, "six-monthly": 2, "annual": 1}[m["frequency"]]
            if kind == "v":
                s = fmt_unit(m, self.get(mid, period))
            elif kind == "loc":
                s = fmt_unit(m, self.get(mid, period, parts[2]))
            elif kind == "d":
                s = self.change(mid, period, 1, {"quarterly": "last quarter", "six-monthly": "six months earlier",
                                                 "annual": "last year"}[m["frequency"]])
            elif kind == "dy":
                s = self.change(mid, period, per_year, "a year earlier")
            elif kind == "t":
                s = fmt_unit(m, m["targets"][period[:7]])
            elif kind == "rag":
                s = self.rag_words(mid, period)
            else:
                raise ValueError(kind)
            out.append(s)
            i = k + 1


# Committee actions: what the committees asked for, from the minutes in the
# seeds (004: the Corporate Resources OSC's year-end meeting; 003: the
# Families OSC's framework update); the meeting dates, owners, due dates,
# progress and notes are illustrative.  "status" and "note" are applied
# after the action is recorded, as the owner would report them.
ACTIONS = [
    {"committee": "CORP-RES-OSC", "meeting": "2022-06-13", "directorate": "HEHC",
     "text": "That a briefing note be provided on the undertaking with the Housing Regulator.",
     "due": "2022-09-30", "status": "done",
     "note": "Briefing note circulated to members in September 2022; progress is reported each quarter under the Housing Improvement Plan."},
    {"committee": "CORP-RES-OSC", "meeting": "2022-06-13", "directorate": "RD",
     "text": "That a briefing note be provided on recruitment and retention, sickness absence and issues re vacancies.",
     "due": "2022-09-30", "status": "in-progress",
     "note": "Recruitment, retention and vacancies drafted; the sickness absence analysis by directorate and reason is being added."},
    {"committee": "CORP-RES-OSC", "meeting": "2022-06-13", "directorate": "RD",
     "text": "A breakdown of the 293 staff who left in 2021-22, showing whether leavers were in particular areas.",
     "due": "2022-07-31", "status": "open", "note": ""},
    {"committee": "FAMILIES-OSC", "meeting": "2021-06-28", "directorate": "CAF",
     "text": "A further report to this Committee in the Autumn on performance against the new measures.",
     "due": "2021-11-30", "status": "done",
     "note": "Six-monthly report presented in November 2021, with the 'so what' commentary members asked for."},
    {"committee": "FAMILIES-OSC", "meeting": "2021-06-28", "directorate": "CAF",
     "text": "Look at indicators on culture and youth provision that could also be reported to this Committee.",
     "due": "2022-03-31", "status": "dropped",
     "note": "Culture and youth provision measures are reported to the Communities and Place OSC; members were pointed to those reports."},
    {"committee": "CABINET", "meeting": "2022-07-19", "directorate": "EIG",
     "text": "Report on the locality working approach, developed with councillors and communities from the outset, starting with the Birtley and Chopwell pilots.",
     "due": "2023-06-30", "status": "in-progress",
     "note": "Birtley locality plan agreed with ward councillors; Chopwell engagement under way."},
]


def build_narrative(fw, rows):
    lk = Lookup(fw, rows)
    obj_ids = [o["id"] for o in fw["objectives"]]
    commentary = []
    for oid in obj_ids:
        for q, text in zip(Q22, COMMENTARY[oid]):
            commentary.append({"objective": oid, "period": q, "text": lk.fill(text, q)})
    updates = []
    for o in fw["objectives"]:
        for iv in o["interventions"]:
            for q, (status, text) in zip(Q22, UPDATES[iv["id"]]):
                updates.append({"intervention": iv["id"], "period": q, "status": status, "text": text})
    risks = []
    for r in RISKS:
        risks.append({"id": r["id"], "title": r["title"], "objective": r["objective"],
                      "directorate": r["directorate"], "mitigation": r["mitigation"],
                      "owner": r["owner"], "target_likelihood": r["target"][0],
                      "target_impact": r["target"][1],
                      "assessments": [{"period": q, "likelihood": l, "impact": i}
                                      for q, (l, i) in zip(Q22, r["lx"])]})
    resources = []
    for oid in obj_ids:
        for k, y in enumerate(RES_YEARS):
            budget = round(BUDGET_2020[oid] * BUDGET_GROWTH[k], -3)
            spend = round(budget * SPEND_RATIO[oid][k], -3)
            resources.append({"objective": oid, "year": y, "budget": float(budget), "spend": float(spend)})
    for iid, ys in INTERVENTION_BUDGETS.items():
        for y, (b, s) in zip(RES_YEARS, ys):
            resources.append({"intervention": iid, "year": y, "budget": float(b), "spend": float(s)})
    plans = [{"intervention": p["intervention"], "owner": p["owner"],
              "milestones": [dict(title=t, due=d, **({"completed": c} if c else {}))
                             for t, d, c in p["milestones"]]} for p in PLANS]
    return {"commentary": commentary, "case_studies": CASE_STUDIES,
            "intervention_updates": updates, "risks": risks, "resources": resources,
            "actions": ACTIONS, "plans": plans}


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def check(fw, rows, narrative):
    errs = []
    measures = {m["id"]: m for m in fw["measures"]}
    locs = {l["id"] for l in fw["localities"]}
    seen = set()
    for n, r in enumerate(rows, 2):
        m = measures.get(r["measure"])
        where = f"values.csv line {n}"
        if m is None:
            errs.append(f"{where}: unknown measure")
            continue
        key = (r["measure"], r["period"], r["locality"])
        if key in seen:
            errs.append(f"{where}: duplicate")
        seen.add(key)
        if r["locality"] not in locs or (r["locality"] != "borough" and not m["by_locality"]):
            errs.append(f"{where}: bad locality")
        v = r["value"]
        if m["unit"] == "percent" and not 0 <= v <= 100:
            errs.append(f"{where}: percent out of range")
        if m["unit"] == "count" and (v < 0 or v != int(v)):
            errs.append(f"{where}: count not a whole number >= 0")
        if v < 0:
            errs.append(f"{where}: negative")
        num, den = r["numerator"], r["denominator"]
        if (num is None) != (den is None):
            errs.append(f"{where}: numerator without denominator")
        if num is not None:
            scale = {"percent": 100.0, "rate_per_1000": 1000.0}[m["unit"]]
            if den <= 0 or num < 0 or (m["unit"] == "percent" and num > den):
                errs.append(f"{where}: bad numerator/denominator")
            elif abs(round(scale * num / den, m["decimals"]) - v) > 1e-9:
                errs.append(f"{where}: value {v} != {scale}*{num}/{den}")
        if rag(m, r["period"], v) == "red" and not r.get("note"):
            errs.append(f"{where}: red value without a note")
    for m in fw["measures"]:
        want = len(periods_for(m["frequency"])) * (5 if m["by_locality"] else 1)
        have = sum(1 for k in seen if k[0] == m["id"])
        if want != have:
            errs.append(f"{m['id']}: {have} values, expected {want}")
    ivs = {iv["id"] for o in fw["objectives"] for iv in o["interventions"]}
    got = {(u["intervention"], u["period"]) for u in narrative["intervention_updates"]}
    for iv in ivs:
        for q in Q22:
            if (iv, q) not in got:
                errs.append(f"no update for {iv} {q}")
    for c in narrative["commentary"]:
        if "{" in c["text"] or "}" in c["text"]:
            errs.append(f"unfilled placeholder in commentary {c['objective']} {c['period']}")
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--check", action="store_true",
                    help="do not write; fail if the files in --out differ or a check fails")
    args = ap.parse_args()
    with open(args.framework, encoding="utf-8") as f:
        fw = json.load(f)
    missing = [m["id"] for m in fw["measures"] if m["id"] not in SIM]
    if missing:
        sys.exit(f"generate.py: no simulation settings for measure(s) {', '.join(missing)}")
    rng = random.Random(SEED)
    rows = add_notes(fw, generate_values(fw, rng))
    narrative = build_narrative(fw, rows)
    errs = check(fw, rows, narrative)
    if errs:
        sys.exit("generate.py: " + "\n".join(errs))
    outputs = {"values.csv": write_values(rows, fw),
               "narrative.json": json.dumps(narrative, indent=2, ensure_ascii=False) + "\n"}
    if args.check:
        stale = []
        for name, text in outputs.items():
            path = os.path.join(args.out, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        if stale:
            sys.exit(f"generate.py: {', '.join(stale)} out of date; run deploy/demo/generate.py")
        print(f"generate.py: {len(rows)} values and narrative up to date")
        return
    for name, text in outputs.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"generate.py: wrote {len(rows)} values, {len(narrative['commentary'])} commentaries, "
          f"{len(narrative['intervention_updates'])} intervention updates to {args.out}")


if __name__ == "__main__":
    main()
