{{- define "tickets.labels" -}}
app.kubernetes.io/part-of: tickets
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/name: {{ .name }}
{{- end }}

{{- define "tickets.selector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .name }}
{{- end }}

{{/* The pod spec shared by both registration modes. Endpoints speak h2c, so probes are tcpSocket. */}}
{{- define "tickets.podSpec" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  seccompProfile: { type: RuntimeDefault }
terminationGracePeriodSeconds: 30
containers:
  - name: {{ .name }}
    image: "{{ .root.Values.image.repository }}/{{ .name }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}"
    imagePullPolicy: {{ .root.Values.image.pullPolicy }}
    ports:
      - name: h2c
        containerPort: {{ .app.port }}
    env:
      - { name: HOST, value: "0.0.0.0" }
      - { name: PORT, value: {{ .app.port | quote }} }
      {{- with .root.Values.requestIdentityKeys }}
      - { name: RESTATE_IDENTITY_KEYS, value: {{ . | quote }} }
      {{- end }}
      {{- if .root.Values.allowUnsignedRequests }}
      - { name: ALLOW_UNSIGNED_REQUESTS, value: "true" }
      {{- end }}
      {{- range $key, $value := .app.env }}
      - { name: {{ $key }}, value: {{ $value | quote }} }
      {{- end }}
      {{- range .app.secretEnv }}
      - name: {{ . }}
        valueFrom:
          secretKeyRef: { name: {{ $.root.Values.secretName }}, key: {{ . }}, optional: {{ ne . "STRIPE_API_KEY" }} }
      {{- end }}
    readinessProbe:
      tcpSocket: { port: h2c }
      periodSeconds: 5
    livenessProbe:
      tcpSocket: { port: h2c }
      periodSeconds: 10
    resources:
      {{- toYaml .app.resources | nindent 6 }}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: { drop: [ALL] }
{{- end }}
