/** Names for the spec's resource shapes the helpers take and return (revision in ../revision.ts). */
import type { components } from '../generated/openapi.js';
type S = components['schemas'];
type Item<T> = T extends Array<infer U> ? U : never;
export type Account = Item<S['GetAccountResponseCollection']['data']>;
/** The spec marks a created profile's id nullable; the client checks it is there. */
export type Profile = S['PostProfileResponse']['data'] & {
    id: string;
};
export type ProfileListItem = Item<S['GetProfileResponsePluralConversationsCollectionCompoundDocument']['data']>;
export type ProfileUpsertBody = S['ProfileUpsertQuery'];
export type ProfileCreateBody = S['ProfileCreateQuery'];
export type EventCreateBody = S['EventCreateQueryV2'];
export type KlaviyoEvent = Item<S['GetEventResponseCollectionCompoundDocument']['data']>;
export type Metric = Item<S['GetMetricResponseCollectionCompoundDocument']['data']>;
export type KlaviyoList = S['PostListCreateResponse']['data'];
export type KlaviyoListDetails = S['GetListRetrieveResponseCompoundDocument']['data'];
export type ListCreateBody = S['ListCreateQuery'];
export type ListUpdateAttributes = S['ListPartialUpdateQuery']['data']['attributes'];
export type ListMember = Item<S['GetListMemberResponseCollection']['data']>;
export type Segment = S['PostSegmentCreateResponse']['data'];
export type SegmentDetails = S['GetSegmentRetrieveResponseCompoundDocument']['data'];
export type SegmentCreateBody = S['SegmentCreateQuery'];
export type SegmentUpdateAttributes = S['SegmentPartialUpdateQuery']['data']['attributes'];
export type SegmentMember = Item<S['GetSegmentMemberResponseCollection']['data']>;
export type Template = S['PostTemplateDndResponse']['data'];
export type TemplateCreateBody = S['TemplateCreateHtmlOrDndQuery'];
export type TemplateUpdateAttributes = S['TemplateUpdateHtmlOrDndQuery']['data']['attributes'];
export type RenderedTemplate = S['PostTemplateResponse']['data'];
export type FlowMessageTemplate = NonNullable<S['GetTemplateResponse']['data']>;
export type Flow = S['PostFlowV2Response']['data'];
export type FlowDetails = S['GetFlowV2ResponseCompoundDocument']['data'];
export type FlowCreateBody = S['FlowCreateQuery'];
export type FlowStatus = S['FlowUpdateQuery']['data']['attributes']['status'];
export type FlowAction = S['GetFlowActionEncodedResponseCompoundDocument']['data'];
export type FlowActionDefinition = S['FlowActionUpdateQuery']['data']['attributes']['definition'];
export type UpdatedFlowAction = S['PatchFlowActionEncodedResponse']['data'];
export type FlowMessage = Item<S['GetFlowMessageEncodedResponseCollection']['data']>;
export type FlowMessageDetails = S['GetFlowMessageEncodedResponseCompoundDocument']['data'];
export type Tag = S['PostTagResponse']['data'];
export type TagGroup = S['PostTagGroupResponse']['data'];
export type TagGroupCreateAttributes = S['TagGroupCreateQuery']['data']['attributes'];
export type Image = S['PostImageResponse']['data'];
export type ImageCreateBody = S['ImageCreateQuery'];
export type ProfileImportJob = S['PostProfileImportJobResponse']['data'];
export type ProfileImportBody = S['ProfileImportJobCreateQuery'];
export type SubscribeBody = S['SubscriptionCreateJobCreateQuery'];
export type UnsubscribeBody = S['SubscriptionDeleteJobCreateQuery'];
export type SuppressBody = S['SuppressionCreateJobCreateQuery'];
export type SuppressJob = S['PostBulkProfileSuppressionsCreateJobResponse']['data'];
export type UnsuppressBody = S['SuppressionDeleteJobCreateQuery'];
export type UnsuppressJob = S['PostBulkProfileSuppressionsRemoveJobResponse']['data'];
/** A `{ type, id }` pointer, as relationship endpoints return. */
export interface ResourceIdentifier {
    type: string;
    id: string;
}
export {};
