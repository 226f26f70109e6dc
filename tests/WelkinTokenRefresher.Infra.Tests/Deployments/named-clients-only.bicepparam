// Named clients only: no default client (no Welkin__ApiClient/Secret, no default token vault). live's credentials are
// given, staging's are not (a person writes them into the credentials vault later). Every credential is a fake.
using '../../../infra/main.bicep'

param environmentName = 'welkin-test'
param location = 'westeurope'
param defaultClientEnabled = false
param welkinApi = 'api-clients'
param welkinTenant = 'acme'
param welkinBaseUrl = 'https://api.live.welkincloud.io'
param welkinClients = [
  { name: 'live' }
  { name: 'staging', tenant: 'acme-stg', baseUrl: 'https://api.stg.welkincloud.io', timeout: '00:00:30', maxTokenRequestsPer5Minutes: 5 }
]
param welkinClientCredentials = {
  live: { apiClient: 'fake-live-key', secret: 'fake-live-secret' }
}
param consumerGrants = [
  { principalId: '22222222-2222-2222-2222-222222222222', clients: ['staging'] }
]
