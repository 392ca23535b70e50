{#- Job scripts of this study: signac-flow's scheduler template (base_script) plus
    GPUs, account, the project's Python environment and a walltime deadline. -#}
{% extends base_script %}
{% block tasks %}
{{ super() -}}
{% set gpus = resources.ngpu_tasks if resources is defined else 0 %}
{% if gpus %}
#SBATCH --gpus={{ gpus }}
{% endif %}
{% set threads = operations|map(attribute='directives.omp_num_threads')|max %}
{% if threads %}
#SBATCH --cpus-per-task={{ threads }}
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
