"""Browse the data space with signac-dashboard.

    python dashboard.py run                 # http://localhost:8888, prints a login URL
    python dashboard.py run --port 9000

Bound to localhost with signac-dashboard's access token by default.  On a cluster,
start it on the login node and forward the port:
    ssh -L 8888:localhost:8888 user@cluster   # then open the printed URL locally
"""

from softness_entropy.workflow.dashboard import make_dashboard

if __name__ == "__main__":
    make_dashboard().main()
