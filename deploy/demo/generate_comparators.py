#!/usr/bin/env python3
"""Write comparators.csv: an ILLUSTRATIVE comparator set for a few demo
measures (made-up figures for fifteen fictional nearest neighbours, and
made-up national and regional figures), around this council's demo values
in values.csv.  Python 3 standard library only, fixed random seed.

    python3 deploy/demo/generate_comparators.py   (from the repository root)
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rnd = random.Random(12)
    ours = {}
    with open(os.path.join(HERE, 'values.csv'), newline='') as f:
        for row in csv.DictReader(f):
            if row['locality'] in ('borough', ''):
                ours[(row['measure'], row['period'])] = float(row['value'])
    names = ["Neighbour %s" % c for c in "ABCDEFGHIJKLMNO"]
    spec = {  # measure: (spread, national offset, regional offset)
        'FSM-UPTAKE': (4.0, -2.1, 0.8),
        'NEET-16-17': (1.2, -0.9, 0.4),
        'SICKNESS-DAYS': (1.6, -1.7, 0.3),
    }
    with open(os.path.join(HERE, 'comparators.csv'), 'w', newline='') as f:
        out = csv.writer(f, lineterminator='\n')
        out.writerow(['measure', 'period', 'comparator', 'value', 'kind'])
        for m, (spread, nat, reg) in spec.items():
            for p in ('2022-23-Q2', '2022-23-Q3', '2022-23-Q4'):
                v = ours[(m, p)]
                centre = v - spread * 0.35 if m == 'FSM-UPTAKE' else v - spread * 0.3
                for n in names:
                    x = round(centre + rnd.uniform(-spread, spread), 1)
                    if m == 'FSM-UPTAKE' and p == '2022-23-Q3' and n == 'Neighbour D':
                        x = v  # a tie with this council: it shares the better rank
                    out.writerow([m, p, n, '%.1f' % x, 'council'])
                out.writerow([m, p, 'England', '%.1f' % round(v + nat, 1), 'national'])
                out.writerow([m, p, 'North East', '%.1f' % round(v + reg, 1), 'regional'])
        # too few to rank: only two neighbours have published
        v = ours[('EMPLOYMENT-RATE', '2022-23-Q3')]
        out.writerow(['EMPLOYMENT-RATE', '2022-23-Q3', 'Neighbour A', '%.1f' % (v + 1.2),
                      'council'])
        out.writerow(['EMPLOYMENT-RATE', '2022-23-Q3', 'Neighbour B', '%.1f' % (v - 0.7),
                      'council'])
        out.writerow(['EMPLOYMENT-RATE', '2022-23-Q3', 'England', '%.1f' % (v + 1.9),
                      'national'])


if __name__ == '__main__':
    main()
