{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "terrafield.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: <release>-<chart>, or the release name when it already contains the
chart name. Truncated to 63 characters.
*/}}
{{- define "terrafield.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "terrafield.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels common to every resource. */}}
{{- define "terrafield.labels" -}}
helm.sh/chart: {{ include "terrafield.chart" . }}
{{ include "terrafield.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: terrafield
{{- end }}

{{/* Selector labels shared by all components. */}}
{{- define "terrafield.selectorLabels" -}}
app.kubernetes.io/name: {{ include "terrafield.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: (dict "context" $ "component" "api"). */}}
{{- define "terrafield.componentLabels" -}}
{{ include "terrafield.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector labels of one component: (dict "context" $ "component" "api"). */}}
{{- define "terrafield.componentSelectorLabels" -}}
{{ include "terrafield.selectorLabels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The Terrafield image of the api. */}}
{{- define "terrafield.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Flink image holding the Terrafield jar. */}}
{{- define "terrafield.flinkImage" -}}
{{- printf "%s:%s" .Values.flink.image.repository (default .Chart.AppVersion .Values.flink.image.tag) }}
{{- end }}

{{/* Name of the in-cluster Kafka StatefulSet and of its headless Service. */}}
{{- define "terrafield.kafkaName" -}}
{{- printf "%s-kafka" (include "terrafield.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Kafka bootstrap servers: the in-cluster broker, or kafka.bootstrapServers. */}}
{{- define "terrafield.kafkaBootstrapServers" -}}
{{- if .Values.kafka.enabled }}
{{- $name := include "terrafield.kafkaName" . }}
{{- printf "%s-0.%s.%s.svc.%s:9092" $name $name .Release.Namespace .Values.clusterDomain }}
{{- else }}
{{- required "kafka.bootstrapServers is required when kafka.enabled is false" .Values.kafka.bootstrapServers }}
{{- end }}
{{- end }}

{{/* Name of the in-cluster PostGIS StatefulSet and Service. */}}
{{- define "terrafield.postgisName" -}}
{{- printf "%s-postgis" (include "terrafield.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* JDBC URL of the store: the in-cluster PostGIS, or postgis.url. */}}
{{- define "terrafield.storeUrl" -}}
{{- if .Values.postgis.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "terrafield.postgisName" .) .Values.store.database }}
{{- else }}
{{- required "postgis.url is required when postgis.enabled is false" .Values.postgis.url }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the store password. */}}
{{- define "terrafield.storeSecretName" -}}
{{- if .Values.store.existingSecret }}
{{- .Values.store.existingSecret }}
{{- else }}
{{- printf "%s-store" (include "terrafield.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Key of the password in the store Secret. */}}
{{- define "terrafield.storeSecretKey" -}}
{{- if .Values.store.existingSecret }}
{{- .Values.store.existingSecretPasswordKey }}
{{- else -}}
password
{{- end }}
{{- end }}

{{/* The TERRAFIELD_STORE_PASSWORD environment variable, from the store Secret. */}}
{{- define "terrafield.storePasswordEnv" -}}
- name: TERRAFIELD_STORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "terrafield.storeSecretName" . }}
      key: {{ include "terrafield.storeSecretKey" . }}
{{- end }}
