#!/usr/bin/env python3
"""CPU per process and per thread name (digits folded) over SECONDS, from /proc: where a run spends
its cores. Usage: loadtest/thread-cpu.py SECONDS PID [PID ...] (e.g. the pids `bin/kv-local status`
prints, while wrk runs)."""
import os,sys,time,collections
pids=[int(x) for x in sys.argv[2:]]; dur=float(sys.argv[1])
def snap():
    d={}
    for p in pids:
        try: tids=os.listdir(f'/proc/{p}/task')
        except: continue
        for t in tids:
            try:
                st=open(f'/proc/{p}/task/{t}/stat').read()
                name=st[st.index('(')+1:st.rindex(')')]
                f=st[st.rindex(')')+2:].split()
                d[(p,t)]=(name,int(f[11])+int(f[12]))
            except: pass
    return d
a=snap(); time.sleep(dur); b=snap()
tot=collections.Counter(); byname=collections.Counter()
for k,(n,v) in b.items():
    if k in a:
        dv=v-a[k][1]; tot[k[0]]+=dv
        import re
        byname[(k[0],re.sub(r'\d+','#',n))]+=dv
hz=os.sysconf('SC_CLK_TCK')
for p,v in tot.items(): print(p,'cpu%%=%.0f'%(100*v/hz/dur))
for (p,n),v in byname.most_common(30):
    print('%6.1f%% %d %s'%(100*v/hz/dur,p,n))
