{#-
    Parses an ISO-8601 string that may carry any UTC offset ("+02:00", "Z")
    into a UTC timestamp without time zone. Unparseable values give null.
    Strings without an offset are read as UTC (the profile sets TimeZone=UTC).
-#}
{% macro to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'customer_health')(expression)) }}
{%- endmacro %}

{% macro default__to_utc_timestamp(expression) -%}
    {#- A plain cast to timestamp would drop the offset: go through
        timestamptz. -#}
    (try_cast({{ expression }} as timestamptz) at time zone 'UTC')
{%- endmacro %}
