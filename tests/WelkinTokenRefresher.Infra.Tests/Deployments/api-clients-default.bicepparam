// A single client on Welkin's api-clients API: only the default client, with every setting of the configuration table
// given a value other than its default. Every credential is a fake.
using '../../../infra/main.bicep'

param environmentName = 'welkin-test'
param location = 'westeurope'
param welkinApiClient = 'fake-default-key'
param welkinSecret = 'fake-default-secret'
param welkinApi = 'api-clients'
param welkinTenant = 'acme'
param welkinBaseUrl = 'https://api.live.welkincloud.io'
param welkinTokenPath = '/v2/auth/token'
param welkinTimeout = '00:00:20'
param welkinMaxTokenRequestsPer5Minutes = 6
param tokenSecretName = 'welkin-live-token'
param refreshSchedule = '0 */2 * * * *'
param refreshAfter = '00:40:00'
param refreshBeforeExpiry = '00:15:00'
param minForceInterval = '00:02:00'
