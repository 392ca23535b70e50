{#- Job scripts of this study: signac-flow's scheduler template (base_script) plus
    GPUs, account, the project's Python environment and a walltime deadline. -#}
{% extends base_script %}
{% block tasks %}
{#- flow counts np = ranks × threads cores: as tasks × cpus-per-task for SLURM -#}
{% set threads = operations|map(attribute='directives.omp_num_threads')|max %}
{% if threads %}
#SBATCH --ntasks={{ (resources.ncpu_tasks / threads)|round(0, 'ceil')|int }}
#SBATCH --cpus-per-task={{ threads }}
{% else %}
#SBATCH --ntasks={{ resources.ncpu_tasks }}
{% endif %}
{% set gpus = resources.ngpu_tasks if resources is defined else 0 %}
{% if gpus %}
#SBATCH --gpus={{ gpus }}
{% endif %}
{% if account %}
#SBATCH --account={{ account }}
{% endif %}
{% endblock tasks %}
{% block project_header %}
{{ super() -}}
# the Python environment that submitted this job (venv or conda) runs it
export PATH={{ operations[0].directives.executable.rsplit('/', 1)[0] }}:$PATH
{% set walltime = operations | calc_walltime(parallel) %}
{% if walltime %}
# long runs checkpoint and stop cleanly two minutes before this deadline
export SOFTNESS_ENTROPY_DEADLINE=$(( $(date +%s) + {{ walltime.total_seconds()|int }} ))
{% endif %}
{% endblock project_header %}
