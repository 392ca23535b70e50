{#- Example of a site file: copy to templates/site_<name>.sh (git-ignored), adapt, and
    change the first line of templates/script.sh to extend it instead of base_script:
        {% extends "site_<name>.sh" %}
    A site file itself extends base_script and adds what the site needs. -#}
{% extends base_script %}
{% block project_header %}
{{ super() -}}
module load cuda/12.4
{% endblock project_header %}
