// The deployment the infrastructure tests snapshot: the default client plus three named ones, vault-wide and
// per-secret consumers. Every credential is a fake; secure values are never evaluated by `bicep snapshot`.
using '../../../infra/main.bicep'

param environmentName = 'welkin-test'
param location = 'westeurope'
param welkinApiClient = 'fake-default-key'
param welkinSecret = 'fake-default-secret'
param welkinClients = [
  { name: 'live', api: 'api-clients', tenant: 'acme', baseUrl: 'https://api.live.welkincloud.io' }
  { name: 'staging', api: 'api-clients', tenant: 'acme-stg', baseUrl: 'https://api.stg.welkincloud.io', secretName: 'welkin-staging-token' }
  { name: 'legacy2', baseUrl: 'https://legacy.example.org', tokenPath: '/v1/auth/token' }
]
param welkinClientCredentials = {
  live: { apiClient: 'fake-live-key', secret: 'fake-live-secret' }
  staging: { apiClient: 'fake-staging-key', secret: 'fake-staging-secret' }
  legacy2: { apiClient: 'fake-legacy-key', secret: 'fake-legacy-secret' }
}
param consumerPrincipalIds = ['11111111-1111-1111-1111-111111111111']
param consumerGrants = [
  { principalId: '22222222-2222-2222-2222-222222222222', clients: ['live'] }
  { principalId: '33333333-3333-3333-3333-333333333333', clients: ['staging', 'default'] }
]
