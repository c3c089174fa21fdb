// The national axis connector: settings, client, request MAC and the connector itself.
export { AxisConnector, type AxisConnectorOptions, type RoundReport } from './axis-connector.js';
export { AxisClient, type AxisAgency, type AxisSettings, type ReceivedItem } from './axis-client.js';
export { axisHeaders, axisMac, axisRequestVerifies, axisTimestamp, AXIS_VERSION } from './axis-mac.js';
