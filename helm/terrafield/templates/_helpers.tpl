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

{{/* Name of the Strimzi Kafka cluster: the chart's own, or kafka.external.strimziClusterName. */}}
{{- define "terrafield.kafkaClusterName" -}}
{{- if eq .Values.kafka.provider "strimzi" }}
{{- include "terrafield.fullname" . }}
{{- else }}
{{- .Values.kafka.external.strimziClusterName }}
{{- end }}
{{- end }}

{{/* Kafka bootstrap servers: the Strimzi cluster's bootstrap Service, or the external cluster. */}}
{{- define "terrafield.kafkaBootstrapServers" -}}
{{- if eq .Values.kafka.provider "strimzi" }}
{{- printf "%s-kafka-bootstrap:9092" (include "terrafield.kafkaClusterName" .) }}
{{- else }}
{{- required "kafka.external.bootstrapServers is required when kafka.provider is external" .Values.kafka.external.bootstrapServers }}
{{- end }}
{{- end }}

{{/* Name of the CloudNativePG Cluster; its Services are <name>-rw/-ro, its credentials <name>-app. */}}
{{- define "terrafield.databaseClusterName" -}}
{{- printf "%s-db" (include "terrafield.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{/* JDBC URL of the store: the CloudNativePG primary (read-write Service), or the external database. */}}
{{- define "terrafield.storeUrl" -}}
{{- if eq .Values.database.provider "cloudnativepg" }}
{{- printf "jdbc:postgresql://%s-rw:5432/%s" (include "terrafield.databaseClusterName" .) .Values.database.name }}
{{- else }}
{{- required "database.external.url is required when database.provider is external" .Values.database.external.url }}
{{- end }}
{{- end }}

{{/* Secret and key of the store password: CloudNativePG's application Secret, or the external one. */}}
{{- define "terrafield.storeSecretName" -}}
{{- if eq .Values.database.provider "cloudnativepg" }}
{{- printf "%s-app" (include "terrafield.databaseClusterName" .) }}
{{- else }}
{{- required "database.external.existingSecret is required when database.provider is external" .Values.database.external.existingSecret }}
{{- end }}
{{- end }}

{{- define "terrafield.storeSecretKey" -}}
{{- if eq .Values.database.provider "cloudnativepg" -}}
password
{{- else }}
{{- .Values.database.external.passwordKey }}
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

{{/* envFrom of the Kafka client credentials Secret (external cluster), if any. */}}
{{- define "terrafield.kafkaCredentialsEnvFrom" -}}
{{- if and (eq .Values.kafka.provider "external") .Values.kafka.external.credentialsSecret -}}
envFrom:
  - secretRef:
      name: {{ .Values.kafka.external.credentialsSecret }}
{{- end }}
{{- end }}

{{/* Selector of every Flink job pod of the release (the operator keeps the podTemplate labels). */}}
{{- define "terrafield.flinkPodSelector" -}}
matchLabels:
  {{- include "terrafield.selectorLabels" . | nindent 2 }}
  terrafield.io/runtime: flink
{{- end }}

{{/* Selector of every Terrafield client of Kafka and the store: the api and the Flink jobs. */}}
{{- define "terrafield.clientPeers" -}}
- podSelector:
    matchLabels:
      {{- include "terrafield.componentSelectorLabels" (dict "context" . "component" "api") | nindent 6 }}
- podSelector:
    {{- include "terrafield.flinkPodSelector" . | nindent 4 }}
{{- end }}

{{/* A NetworkPolicyPeer selecting one namespace by name: (include "terrafield.namespacePeer" "ns"). */}}
{{- define "terrafield.namespacePeer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ . }}
{{- end }}

{{/* Kafka client authentication of the chart's own cluster: scram-sha-512, or none (also for an external cluster). */}}
{{- define "terrafield.kafkaAuthentication" -}}
{{- if eq .Values.kafka.provider "strimzi" }}
{{- .Values.kafka.strimzi.authentication }}
{{- else -}}
none
{{- end }}
{{- end }}

{{/* Name of a workload's KafkaUser and of the Secret Strimzi writes its credentials to: (dict "context" $ "workload" "api"). */}}
{{- define "terrafield.kafkaUserName" -}}
{{- printf "%s-%s" (include "terrafield.fullname" .context) .workload | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Environment of a Kafka client workload: with SCRAM-SHA-512 on the chart's cluster, the client
settings and the JAAS line of its KafkaUser's Secret: (dict "context" $ "workload" "api").
*/}}
{{- define "terrafield.kafkaClientEnv" -}}
{{- if eq (include "terrafield.kafkaAuthentication" .context) "scram-sha-512" -}}
- name: TERRAFIELD_KAFKA_SECURITY_PROTOCOL
  value: SASL_PLAINTEXT
- name: TERRAFIELD_KAFKA_SASL_MECHANISM
  value: SCRAM-SHA-512
- name: TERRAFIELD_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ include "terrafield.kafkaUserName" . }}
      key: sasl.jaas.config
{{- end }}
{{- end }}

{{/* The PersistentVolumeClaim of the forecast models: the chart's, or models.persistence.existingClaim. */}}
{{- define "terrafield.modelsClaimName" -}}
{{- .Values.models.persistence.existingClaim | default (printf "%s-models" (include "terrafield.fullname" .)) }}
{{- end }}

{{/* The field options of the training and the forecast job (models.field), one argument a line. */}}
{{- define "terrafield.fieldArgs" -}}
{{- $field := .Values.models.field -}}
- --members
- {{ $field.members | quote }}
- --width
- {{ $field.width | quote }}
- --epochs
- {{ $field.epochs | quote }}
- --batch-size
- {{ $field.batchSize | quote }}
{{- end }}

{{/* Fails naming the value when extra arguments set a field option, which models.field owns. */}}
{{- define "terrafield.noFieldArgs" -}}
{{- range .args }}
{{- $name := regexReplaceAll "=.*$" (toString .) "" }}
{{- if has $name (list "--members" "--width" "--epochs" "--batch-size") }}
{{- fail (printf "%s: %s is set by models.field (the training and the forecast job must agree), not here" $.key $name) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Whether anything mounts the models volume: the forecast job or the training. */}}
{{- define "terrafield.modelsUsed" -}}
{{- if or .Values.training.enabled (and .Values.flink.enabled .Values.flink.jobs.forecast.enabled) -}}
true
{{- end }}
{{- end }}
