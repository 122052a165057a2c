import '../../booking/booking.css';
import './approval.css';
import { render } from 'preact';
import { ApprovalPage } from './ApprovalPage.tsx';

/**
 * `/approve.html#store=st_…&token=…`: a static page like the booking page. The token stays in the
 * fragment, which the browser sends to no server and puts in no Referer.
 */
const params = new URLSearchParams(location.hash.slice(1));
render(
  <ApprovalPage storeId={params.get('store') ?? ''} token={params.get('token') ?? ''} />,
  document.getElementById('approval')!,
);
